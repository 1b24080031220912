import WBuildSpec

/// Everything needed to run one workload's containers locally, resolved: image, process,
/// environment with local bindings rendered, published ports, limits, mounts, probes, sidecars.
///
/// A pure value: `WorkloadPlan.make` builds it from the spec without touching the engine, and
/// `WorkloadRuntime.up` turns it into containers. Its `fingerprint` decides whether running
/// containers are still current.
public struct WorkloadPlan: Sendable, Equatable {
    /// The project name (labels, network, container names).
    public var project: String
    /// The workload name (its host name on the project network).
    public var workload: String
    /// The image to run: an id (`sha256:…`) or a reference.
    public var image: String
    /// The entrypoint from the spec, bindings rendered; nil keeps the image's.
    public var entrypoint: [String]?
    /// The command from the spec, bindings rendered; nil keeps the image's.
    public var command: [String]?
    /// The image's own entrypoint and command, when known (needed to wrap the process in an
    /// init when the spec gives neither). Fill from the image's config.
    public var imageProcess: ImageProcess?
    public var workdir: String?
    /// `KEY=value`, in declaration order, bindings rendered.
    public var environment: [String]
    /// `secretEnv`, read when the plan is evaluated: added to the containers' environment, and
    /// to the fingerprint only as keyed digests. Never part of anything printed or stored.
    public var secretEnvironment: [ResolvedSecret] = []
    /// Published ports, the debug port included.
    public var ports: [PlannedPort]
    public var resources: PlannedResources
    public var readiness: ProbeSpec?
    public var liveness: ProbeSpec?
    /// Passes once before liveness is checked; failing it `failureThreshold` times restarts the container.
    public var startup: ProbeSpec?
    public var replicas: Int
    public var volumes: [PlannedVolume]
    public var sidecars: [PlannedSidecar]
    /// The container port of the debugger, also present in `ports` (named `debug`).
    public var debugPort: Int?
    /// How long a stop waits after SIGTERM before SIGKILL.
    public var stopGraceMs: Int
    /// Run the process under wbuild's own supervisor at `/.wbuild/init` (live update restarts
    /// the process through it) instead of the engine's init.
    public var wrapWithSupervisor: Bool

    public init(project: String, workload: String, image: String, entrypoint: [String]? = nil, command: [String]? = nil,
                imageProcess: ImageProcess? = nil, workdir: String? = nil, environment: [String] = [],
                ports: [PlannedPort] = [], resources: PlannedResources = PlannedResources(),
                readiness: ProbeSpec? = nil, liveness: ProbeSpec? = nil, replicas: Int = 1,
                volumes: [PlannedVolume] = [], sidecars: [PlannedSidecar] = [], debugPort: Int? = nil,
                stopGraceMs: Int = WorkloadSpec.defaultStopGraceMs, wrapWithSupervisor: Bool = false) {
        self.project = project
        self.workload = workload
        self.image = image
        self.entrypoint = entrypoint
        self.command = command
        self.imageProcess = imageProcess
        self.workdir = workdir
        self.environment = environment
        self.ports = ports
        self.resources = resources
        self.readiness = readiness
        self.liveness = liveness
        self.replicas = replicas
        self.volumes = volumes
        self.sidecars = sidecars
        self.debugPort = debugPort
        self.stopGraceMs = stopGraceMs
        self.wrapWithSupervisor = wrapWithSupervisor
    }

    /// The path of wbuild's supervisor inside the container when `wrapWithSupervisor` is set.
    public static let supervisorPath = "/.wbuild/init"
}

/// An image's own `Entrypoint` and `Cmd` (from its config).
public struct ImageProcess: Sendable, Equatable {
    public var entrypoint: [String]
    public var command: [String]

    public init(entrypoint: [String], command: [String]) {
        self.entrypoint = entrypoint
        self.command = command
    }
}

/// A container port published on the host.
public struct PlannedPort: Sendable, Equatable {
    /// The name of the port wbuild adds for the live-update supervisor's channel.
    public static let supervisorName = "wbuild-supervisor"
    public var name: String?
    public var container: Int
    /// 0 lets the engine choose (a new one on every start).
    public var host: Int
    public var hostIP: String
    public var `protocol`: PortProtocol

    public init(name: String?, container: Int, host: Int = 0, hostIP: String = PortSpec.defaultHostIP,
                protocol: PortProtocol = .tcp) {
        self.name = name
        self.container = container
        self.host = host
        self.hostIP = hostIP
        self.protocol = `protocol`
    }

    /// `8080/tcp`, the engine's key for the port.
    public var engineKey: String { "\(container)/tcp" }
}

/// Engine resource limits, in the engine's units.
public struct PlannedResources: Sendable, Equatable {
    /// CPUs × 10⁹.
    public var nanoCpus: Int64?
    public var memoryBytes: Int64?
    public var gpus: GPURequest?

    public init(nanoCpus: Int64? = nil, memoryBytes: Int64? = nil, gpus: GPURequest? = nil) {
        self.nanoCpus = nanoCpus
        self.memoryBytes = memoryBytes
        self.gpus = gpus
    }
}

/// A mount: a host directory (absolute, created by `make`) or a named engine volume.
public struct PlannedVolume: Sendable, Equatable {
    /// What is mounted.
    public enum Source: Sendable, Equatable {
        /// An absolute host path.
        case hostPath(String)
        /// The engine volume's full name, `wbuild-<project>-<name>`.
        case named(String)
    }

    public var source: Source
    public var target: String
    public var readOnly: Bool

    public init(source: Source, target: String, readOnly: Bool = false) {
        self.source = source
        self.target = target
        self.readOnly = readOnly
    }

    /// The engine's `Binds` entry: `source:target[:ro]`.
    public var bind: String {
        let from: String
        switch source {
        case .hostPath(let path): from = path
        case .named(let name): from = name
        }
        return "\(from):\(target)" + (readOnly ? ":ro" : "")
    }
}

/// A container beside each replica, sharing its network namespace (it reaches the workload on localhost).
public struct PlannedSidecar: Sendable, Equatable {
    public var name: String
    public var image: String
    public var entrypoint: [String]?
    public var command: [String]?
    /// `KEY=value`, bindings rendered.
    public var environment: [String]

    public init(name: String, image: String, entrypoint: [String]? = nil, command: [String]? = nil, environment: [String] = []) {
        self.name = name
        self.image = image
        self.entrypoint = entrypoint
        self.command = command
        self.environment = environment
    }
}
