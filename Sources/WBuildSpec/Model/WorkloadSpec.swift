/// A scalable unit the project runs: an image (built or pulled) plus its runtime settings.
public struct WorkloadSpec: Sendable, Equatable {
    public var name: String
    /// Where the image comes from: `build` or `image`, exactly one.
    public var source: ImageSource
    /// The container command. A string in the file means `["/bin/sh", "-c", string]`.
    /// Elements may contain bindings (`${cache.host}`).
    public var command: [String]?
    /// The container entrypoint. Elements may contain bindings.
    public var entrypoint: [String]?
    public var workdir: String?
    /// Environment in declaration order. Values may contain bindings.
    public var env: [KeyValuePair]
    /// Environment variables whose values come from a file or wbuild's environment
    /// (`secretEnv`), never printed or stored. No name is also in `env`.
    public var secretEnv: [SecretSpec]
    public var ports: [PortSpec]
    public var resources: ResourceLimits
    public var readiness: ProbeSpec?
    public var liveness: ProbeSpec?
    /// Gates liveness until the workload has started (Kubernetes `startupProbe`); rendered for
    /// clusters, and locally liveness waits for it too.
    public var startup: ProbeSpec?
    /// Replica count, at least 1 (default 1).
    public var replicas: Int
    public var autoscale: AutoscaleSpec?
    /// How a cluster replaces replicas with a new version; nil means the defaults of `RolloutSpec`.
    public var rollout: RolloutSpec?
    /// The requests the router sends to this workload (`routePort`), in declaration order; each
    /// rule's `workload` is this workload's name.
    public var routes: [RouteRule]
    public var volumes: [VolumeSpec]
    /// Extra containers beside each replica, in declaration order.
    public var sidecars: [SidecarSpec]
    public var debug: DebugSpec?
    public var dependsOn: [DependencyReference]
    /// How long a stop waits after SIGTERM before SIGKILL (default 2000).
    public var stopGraceMs: Int
    public var liveUpdate: LiveUpdateSpec?

    public init(
        name: String, source: ImageSource, command: [String]? = nil, entrypoint: [String]? = nil,
        workdir: String? = nil, env: [KeyValuePair] = [], secretEnv: [SecretSpec] = [], ports: [PortSpec] = [],
        resources: ResourceLimits = ResourceLimits(), readiness: ProbeSpec? = nil, liveness: ProbeSpec? = nil,
        startup: ProbeSpec? = nil, replicas: Int = 1, autoscale: AutoscaleSpec? = nil, rollout: RolloutSpec? = nil, routes: [RouteRule] = [], volumes: [VolumeSpec] = [],
        sidecars: [SidecarSpec] = [], debug: DebugSpec? = nil, dependsOn: [DependencyReference] = [],
        stopGraceMs: Int = WorkloadSpec.defaultStopGraceMs, liveUpdate: LiveUpdateSpec? = nil
    ) {
        self.name = name
        self.source = source
        self.command = command
        self.entrypoint = entrypoint
        self.workdir = workdir
        self.env = env
        self.secretEnv = secretEnv
        self.ports = ports
        self.resources = resources
        self.readiness = readiness
        self.liveness = liveness
        self.startup = startup
        self.replicas = replicas
        self.autoscale = autoscale
        self.rollout = rollout
        self.routes = routes
        self.volumes = volumes
        self.sidecars = sidecars
        self.debug = debug
        self.dependsOn = dependsOn
        self.stopGraceMs = stopGraceMs
        self.liveUpdate = liveUpdate
    }

    public static let defaultStopGraceMs = 2000
}

/// Where a workload's image comes from.
public enum ImageSource: Sendable, Equatable {
    /// Built from a Dockerfile in the project.
    case build(BuildSpec)
    /// Pulled (or already present): an image reference like `redis:7`.
    case image(String)
}

/// How to build a workload's image.
public struct BuildSpec: Sendable, Equatable {
    /// The build context directory, relative to the project root.
    public var context: String
    /// The Dockerfile, relative to the project root; nil means `Dockerfile` in the context.
    public var dockerfile: String?
    /// Build arguments, in declaration order.
    public var args: [KeyValuePair]
    /// Build arguments whose values come from a file or wbuild's environment
    /// (`build.secretArgs`), never printed or stored. No name is also in `args`.
    public var secretArgs: [SecretSpec]
    /// The multi-stage target, if any.
    public var target: String?

    public init(context: String, dockerfile: String? = nil, args: [KeyValuePair] = [], secretArgs: [SecretSpec] = [],
                target: String? = nil) {
        self.context = context
        self.dockerfile = dockerfile
        self.args = args
        self.secretArgs = secretArgs
        self.target = target
    }
}

/// Min/max replicas and the CPU utilisation to aim for.
public struct AutoscaleSpec: Sendable, Equatable {
    public var min: Int
    public var max: Int
    /// Target average CPU utilisation, percent of the request (default 80).
    public var cpuPercent: Int

    public init(min: Int, max: Int, cpuPercent: Int = AutoscaleSpec.defaultCPUPercent) {
        self.min = min
        self.max = max
        self.cpuPercent = cpuPercent
    }

    public static let defaultCPUPercent = 80
}

/// The debugger port a workload publishes.
public struct DebugSpec: Sendable, Equatable {
    public var port: Int

    public init(port: Int) {
        self.port = port
    }
}
