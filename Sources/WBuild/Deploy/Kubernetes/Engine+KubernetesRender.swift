import WBuildCore
import WBuildRender
import WBuildSpec
import WBuildWorkloads

extension Engine {
    /// The project's namespace on a cluster: `kubernetes.namespace`, else its name.
    var kubernetesNamespace: String { project.spec.kubernetes?.namespace ?? project.spec.name }

    /// Builds what is stale, then renders `target` for a cluster of `version` into
    /// `.wbuild/deploy/<target>` (files that hold these bytes are not rewritten; files no longer
    /// rendered are removed) and returns the rendering with its folder.
    /// - Throws: `.failed` when an image does not build or the spec cannot be rendered.
    func renderForDeploy(_ target: RenderTarget, version: KubernetesVersion?) async throws(WBuildError) -> (Rendering, String) {
        let spec = project.spec
        guard !spec.workloads.isEmpty else {
            throw WBuildError(.usage, "nothing to deploy: \(projectFile) declares no workloads",
                              hint: "deploy runs the workloads on a cluster; add one under `workloads`")
        }
        let builds = spec.workloads.filter { if case .build = $0.source { return true } else { return false } }.map { "image:\($0.name)" }
        var outputs: [String: [String: String]] = [:]
        if !builds.isEmpty {
            let result = try await once(OnceOptions(targets: builds))
            guard result.ok else {
                let failed = result.nodes.filter { $0.status == .failed }.map { "\($0.id): \($0.failure?.message ?? "failed")" }
                throw WBuildError(.failed, "deploy stopped: the images did not build\n  " + failed.joined(separator: "\n  "),
                                  hint: "fix the build (`wbuild once` shows it), then deploy again")
            }
            for node in result.nodes where node.id.kind == "image" {
                if let fields = node.output?.fields { outputs[node.id.name] = fields }
            }
        }
        let images = ManifestRule.images(spec: spec, imageOutputs: outputs, published: Self.publishedImages(root: project.layout.root))
        guard let renderer = Renderers.renderer(for: target) else {
            throw WBuildError(.usage, "this wbuild cannot render --target \(target)", hint: nil)
        }
        let rendering: Rendering
        do {
            rendering = try renderer.render(RenderInput(spec: spec, images: images, kubeVersion: version))
        } catch {
            let lines = error.problems.map { spec.locations.diagnostic(at: $0.keyPath, $0.message, hint: $0.hint).description }
            throw WBuildError(.failed, "wbuild.json cannot be rendered for \(target):\n  " + lines.joined(separator: "\n  "),
                              hint: "change wbuild.json as each line says, then deploy again")
        }
        for warning in rendering.warnings { events.emit(.warning("deploy: \(warning)")) }
        let folder = project.layout.root + "/.wbuild/deploy/" + target.defaultFolder
        do {
            _ = try RenderedFolder(path: folder).write(rendering)
        } catch {
            throw WBuildError(.failed, "cannot write the \(target) files into \(folder): \(error)",
                              hint: "check that \(project.layout.root)/.wbuild is a folder you can write")
        }
        return (rendering, folder)
    }
}
