/// How `wbuild render` (and `Engine.render`) renders one target.
public struct RenderOptions: Sendable, Equatable {
    public var target: RenderTarget
    /// The output folder; nil means `.wbuild/out/<target>` under the project root. Relative
    /// paths are taken from the current directory, as a command line writes them.
    public var out: String?
    /// `--kube-version`: the cluster's version (API versions such as `autoscaling/v2beta2` below 1.23).
    public var kubeVersion: KubernetesVersion?
    /// `--values F` (Helm): a values file checked against the chart's schema.
    public var valuesFile: String?

    public init(target: RenderTarget, out: String? = nil, kubeVersion: KubernetesVersion? = nil, valuesFile: String? = nil) {
        self.target = target
        self.out = out
        self.kubeVersion = kubeVersion
        self.valuesFile = valuesFile
    }
}
