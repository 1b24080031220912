/// Which renderer writes each target.
public enum Renderers {
    /// The renderer for `target`, or nil while that target is not available in this build.
    public static func renderer(for target: RenderTarget) -> (any Renderer)? {
        switch target {
        case .swarm: return SwarmStackRenderer()
        case .terraform: return TerraformModuleRenderer()
        case .kubernetes: return KubernetesRenderer()
        case .helm: return HelmChartRenderer()
        }
    }

    /// The targets this build renders.
    public static var available: [RenderTarget] {
        RenderTarget.allCases.filter { renderer(for: $0) != nil }
    }
}
