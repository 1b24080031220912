/// What `wbuild render --target` writes, and where under `.wbuild/out/` by default.
public enum RenderTarget: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// One file per object plus `kustomization.yaml`.
    case kubernetes
    /// A chart in `helm create`'s layout.
    case helm
    /// `wbuild.auto.tfvars.json` and a module of `variables.tf.json` / `outputs.tf.json`.
    case terraform
    /// `stack.yaml` for `docker stack deploy -c`.
    case swarm

    public var description: String { rawValue }

    /// The folder name under `.wbuild/out/`.
    public var defaultFolder: String { rawValue }
}
