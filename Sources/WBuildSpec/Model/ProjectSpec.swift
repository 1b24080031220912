/// A whole `wbuild.json`, loaded and validated: what the project builds, runs and publishes.
///
/// Workloads and tasks keep the order the file declares them in.
public struct ProjectSpec: Sendable, Equatable {
    /// The project's name: labels, the Docker network, image names. Lowercase letters, digits, `-`.
    public var name: String
    public var workloads: [WorkloadSpec]
    public var tasks: [TaskSpec]
    public var publish: PublishSettings?
    public var kubernetes: KubernetesSettings?
    public var helm: HelmSettings?
    public var swarm: SwarmSettings?
    public var watch: WatchSettings
    public var images: ImageSettings
    /// `router`: defaults when absent.
    public var router: RouterSettings
    /// Where values were written, for checks made after loading; not part of equality.
    public var locations = SpecLocations()

    public init(
        name: String, workloads: [WorkloadSpec] = [], tasks: [TaskSpec] = [],
        publish: PublishSettings? = nil, kubernetes: KubernetesSettings? = nil,
        helm: HelmSettings? = nil, swarm: SwarmSettings? = nil,
        watch: WatchSettings = WatchSettings(), images: ImageSettings = ImageSettings(),
        router: RouterSettings = RouterSettings()
    ) {
        self.name = name
        self.workloads = workloads
        self.tasks = tasks
        self.publish = publish
        self.kubernetes = kubernetes
        self.helm = helm
        self.swarm = swarm
        self.watch = watch
        self.images = images
        self.router = router
    }

    /// The workload called `name`, if there is one.
    public func workload(named name: String) -> WorkloadSpec? {
        workloads.first { $0.name == name }
    }

    /// The task called `name`, if there is one.
    public func task(named name: String) -> TaskSpec? {
        tasks.first { $0.name == name }
    }
}
