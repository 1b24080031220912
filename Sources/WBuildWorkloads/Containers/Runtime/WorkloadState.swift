/// What a workload's containers are doing, as `up` and `status` report it.
public struct WorkloadState: Sendable, Equatable {
    public var workload: String
    /// The workload as a whole: the worst of its replicas.
    public var phase: WorkloadPhase
    /// The fingerprint its containers run (full hex), nil when none run.
    public var fingerprint: String?
    public var replicas: [ReplicaState]
    /// The ports of the workload's front door: where the host reaches the workload, whichever
    /// replicas serve. Empty for a workload without ports (or whose door is gone).
    public var frontDoor: [PublishedPort]
    /// Whether the workload has a front door (running or not): then its replicas' own ports are
    /// never where users reach it, even while the door is down.
    public var hasFrontDoor: Bool

    public init(workload: String, phase: WorkloadPhase, fingerprint: String?, replicas: [ReplicaState],
                frontDoor: [PublishedPort] = [], hasFrontDoor: Bool? = nil) {
        self.workload = workload
        self.phase = phase
        self.fingerprint = fingerprint
        self.replicas = replicas
        self.frontDoor = frontDoor
        self.hasFrontDoor = hasFrontDoor ?? !frontDoor.isEmpty
    }

    /// Where the host reaches the workload: the front door's ports and each replica's debugger,
    /// or, without a door, every replica's ports.
    public var endpoints: [PublishedPort] {
        guard !frontDoor.isEmpty || hasFrontDoor else { return replicas.flatMap(\.ports) }
        return frontDoor + replicas.flatMap { $0.ports.filter(\.isDebug) }
    }

    /// The workload's URLs (`http://127.0.0.1:PORT` for http ports): its front door's, which
    /// stay the same across replacements; without a door, every replica's.
    public var urls: [String] { endpoints.compactMap(\.url) }
}

/// The lifecycle phase of a workload or a replica (the strings of `BuildEvent.workloadState`).
public enum WorkloadPhase: String, Sendable, Equatable, Comparable {
    case ready
    case starting
    case unhealthy
    case crashLooping = "crash-looping"
    case stopped

    private var severity: Int {
        switch self {
        case .ready: return 0
        case .starting: return 1
        case .unhealthy: return 2
        case .crashLooping: return 3
        case .stopped: return 4
        }
    }

    public static func < (lhs: WorkloadPhase, rhs: WorkloadPhase) -> Bool { lhs.severity < rhs.severity }
}

/// One replica's container.
public struct ReplicaState: Sendable, Equatable {
    public var replica: Int
    public var containerID: String
    public var containerName: String
    public var phase: WorkloadPhase
    /// The engine's state: `running`, `exited`, `created`, …
    public var engineState: String
    /// The last probe's verdict: `passing`, `failing`, or nil when there is no probe.
    public var health: String?
    public var ports: [PublishedPort]
    /// The image id the container runs.
    public var image: String
    public var lastExitCode: Int?
    public var oomKilled: Bool
    /// Restarts made by this runtime (crash or liveness); read by another process, the restarts the
    /// engine's recent events show (its backlog is bounded, so possibly fewer).
    public var restarts: Int
    /// Names of the sidecars beside this replica, with their engine state.
    public var sidecars: [String: String]

    public init(replica: Int, containerID: String, containerName: String, phase: WorkloadPhase, engineState: String,
                health: String?, ports: [PublishedPort], image: String, lastExitCode: Int?, oomKilled: Bool,
                restarts: Int, sidecars: [String: String]) {
        self.replica = replica
        self.containerID = containerID
        self.containerName = containerName
        self.phase = phase
        self.engineState = engineState
        self.health = health
        self.ports = ports
        self.image = image
        self.lastExitCode = lastExitCode
        self.oomKilled = oomKilled
        self.restarts = restarts
        self.sidecars = sidecars
    }

    /// The debugger's address, "127.0.0.1:NNNN", when a debug port is published.
    public var debugger: String? {
        ports.first { $0.isDebug }.map { "\($0.hostIP):\($0.hostPort)" }
    }
}

/// A container port as published on the host right now (host ports change on every start).
public struct PublishedPort: Sendable, Equatable {
    public var name: String?
    public var container: Int
    public var hostIP: String
    public var hostPort: Int
    /// `http`, `http2`, `grpc`, `tcp`.
    public var `protocol`: String
    public var isDebug: Bool

    public init(name: String?, container: Int, hostIP: String, hostPort: Int, protocol: String, isDebug: Bool) {
        self.name = name
        self.container = container
        self.hostIP = hostIP
        self.hostPort = hostPort
        self.protocol = `protocol`
        self.isDebug = isDebug
    }

    /// `http://127.0.0.1:PORT` for http and http2 ports; nil for others.
    public var url: String? {
        guard `protocol` == "http" || `protocol` == "http2" else { return nil }
        let host = hostIP == "0.0.0.0" || hostIP.isEmpty ? "127.0.0.1" : hostIP
        return "http://\(host):\(hostPort)"
    }
}
