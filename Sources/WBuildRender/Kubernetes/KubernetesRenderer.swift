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
        let objects = set.objects.filter(\.gate.include).map(Self.stamped)
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
        let summaries = objects.map { object in
            RenderedObject(apiVersion: object.apiVersion, kind: object.kind, name: object.name,
                           namespace: Self.namespace(of: object), file: object.file,
                           fingerprint: Self.fingerprint(of: object) ?? "")
        }
        return Rendering(target: .kubernetes, files: files, warnings: set.warnings, objects: summaries)
    }

    /// The annotation `deploy` compares with the live object's to leave an unchanged one alone.
    public static let fingerprintAnnotation = "dev.wbuild.fingerprint"

    /// `object` with `dev.wbuild.fingerprint`: 16 hex digits of a hash of the whole object as
    /// written without it, so any change to what is applied changes it.
    static func stamped(_ object: KubernetesObject) -> KubernetesObject {
        var object = object
        let hash = KubernetesNames.contentHash(YAMLEmitter.document(object.document), digits: 16)
        var annotations = RenderMap()
        if case .map(let existing)? = object.metadata["annotations"] { annotations = existing }
        annotations.set(fingerprintAnnotation, .string(hash))
        object.metadata.set("annotations", .map(annotations))
        return object
    }

    static func fingerprint(of object: KubernetesObject) -> String? {
        guard case .map(let annotations)? = object.metadata["annotations"],
              case .string(let hash)? = annotations[fingerprintAnnotation] else { return nil }
        return hash
    }

    static func namespace(of object: KubernetesObject) -> String? {
        guard case .string(let namespace)? = object.metadata["namespace"] else { return nil }
        return namespace
    }
}
