import WBuildSpec

/// `--target kubernetes`: one file per object (`<workload>-<kind>.yaml`, `namespace.yaml`) and
/// a `kustomization.yaml` listing them, for `kubectl apply -k` or `--server-side -f`.
///
/// Per workload: a Deployment (the main container and its sidecars in one pod), a Service for
/// its ports, a ConfigMap for its env (named by a hash of it, so a change rolls the pods), a
/// Secret without data for its `secretEnv` (filled at deploy), an autoscaler when it
/// autoscales; per named volume a PersistentVolumeClaim; routes as Ingresses or HTTPRoutes.
public struct KubernetesRenderer: Renderer {
    public let target = RenderTarget.kubernetes

    public init() {}

    public func render(_ input: RenderInput) throws(RenderError) -> Rendering {
        let set = try KubernetesObjectSet(input: input, values: LiteralValues(), target: .kubernetes)
        let objects = set.objects.filter(\.gate.include)
        let header = "# Rendered by wbuild from wbuild.json (\(input.spec.name)); `wbuild render --target kubernetes` writes it anew.\n"
        var files = objects.map { object in
            RenderedFile(path: object.file, contents: header + YAMLEmitter.document(object.document))
        }
        let kustomization: RenderValue = [
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "resources": .list(objects.map { .string($0.file) }),
        ]
        files.append(RenderedFile(path: "kustomization.yaml", contents: header + YAMLEmitter.document(kustomization)))
        return Rendering(target: .kubernetes, files: files, warnings: set.warnings)
    }
}
