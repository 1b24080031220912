/// What `inspectContainer` reports: state, health, published ports, networks, labels.
public struct ContainerInfo: Sendable, Equatable, Decodable {
    /// `State`.
    public struct State: Sendable, Equatable, Decodable {
        /// `created`, `running`, `exited`, …
        public var status: String
        public var running: Bool
        public var exitCode: Int
        public var oomKilled: Bool
        public var startedAt: String?
        public var finishedAt: String?
        /// `starting`, `healthy`, `unhealthy` when the container has a healthcheck.
        public var health: Health?

        enum CodingKeys: String, CodingKey {
            case status = "Status", running = "Running", exitCode = "ExitCode", oomKilled = "OOMKilled"
            case startedAt = "StartedAt", finishedAt = "FinishedAt", health = "Health"
        }
    }

    /// `State.Health`.
    public struct Health: Sendable, Equatable, Decodable {
        public var status: String
        public var failingStreak: Int?

        enum CodingKeys: String, CodingKey {
            case status = "Status", failingStreak = "FailingStreak"
        }
    }

    /// One entry of `NetworkSettings.Networks`.
    public struct Network: Sendable, Equatable, Decodable {
        public var ipAddress: String?
        public var aliases: [String]?

        enum CodingKeys: String, CodingKey {
            case ipAddress = "IPAddress", aliases = "Aliases"
        }
    }

    public var id: String
    /// With the engine's leading `/`.
    public var name: String
    /// The image ID.
    public var image: String
    public var state: State
    public var labels: [String: String]
    /// `NetworkSettings.Ports`: `8080/tcp` → bindings (host ports change on every start).
    public var ports: [String: [PortBinding]]
    public var networks: [String: Network]

    enum CodingKeys: String, CodingKey {
        case id = "Id", name = "Name", image = "Image", state = "State", config = "Config", networkSettings = "NetworkSettings"
    }

    private struct Config: Decodable {
        var Labels: [String: String]?
    }

    private struct NetworkSettings: Decodable {
        var Ports: [String: [PortBinding]?]?
        var Networks: [String: Network]?
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        image = try container.decodeIfPresent(String.self, forKey: .image) ?? ""
        state = try container.decode(State.self, forKey: .state)
        labels = try container.decodeIfPresent(Config.self, forKey: .config)?.Labels ?? [:]
        let settings = try container.decodeIfPresent(NetworkSettings.self, forKey: .networkSettings)
        ports = (settings?.Ports ?? [:]).compactMapValues { $0 }
        networks = settings?.Networks ?? [:]
    }
}

/// One entry of `listContainers`.
public struct ContainerSummary: Sendable, Equatable, Decodable {
    public struct Port: Sendable, Equatable, Decodable {
        public var ip: String?
        public var privatePort: Int
        public var publicPort: Int?
        public var type: String

        enum CodingKeys: String, CodingKey {
            case ip = "IP", privatePort = "PrivatePort", publicPort = "PublicPort", type = "Type"
        }
    }

    public var id: String
    /// With leading `/`.
    public var names: [String]
    public var image: String
    /// `running`, `exited`, …
    public var state: String
    /// e.g. `Up 29 seconds (healthy)`.
    public var status: String
    public var labels: [String: String]
    public var ports: [Port]

    enum CodingKeys: String, CodingKey {
        case id = "Id", names = "Names", image = "Image", state = "State", status = "Status", labels = "Labels", ports = "Ports"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        names = try container.decodeIfPresent([String].self, forKey: .names) ?? []
        image = try container.decodeIfPresent(String.self, forKey: .image) ?? ""
        state = try container.decodeIfPresent(String.self, forKey: .state) ?? ""
        status = try container.decodeIfPresent(String.self, forKey: .status) ?? ""
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        ports = try container.decodeIfPresent([Port].self, forKey: .ports) ?? []
    }
}

/// The outcome of `exec`: exit code and the collected output of each stream.
public struct ExecResult: Sendable, Equatable {
    public var exitCode: Int
    public var stdout: [UInt8]
    public var stderr: [UInt8]

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// One line of container output from `logs`.
public struct LogLine: Sendable, Equatable {
    public var stream: StdioStream
    /// The line without its newline (and with the timestamp when asked for).
    public var text: String
}

/// One engine event (`GET /events`): container start/die, network create, …
public struct DockerEvent: Sendable, Equatable, Decodable {
    /// `container`, `network`, `image`, `volume`.
    public var type: String
    /// `start`, `die`, `health_status: healthy`, …
    public var action: String
    public var actorID: String
    /// Container labels, plus `exitCode` on `die`, `name`, `image`, `signal`.
    public var attributes: [String: String]
    public var time: Int64
    public var timeNano: Int64?

    enum CodingKeys: String, CodingKey {
        case type = "Type", action = "Action", actor = "Actor", time, timeNano
    }

    private struct Actor: Decodable {
        var ID: String?
        var Attributes: [String: String]?
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        action = try container.decodeIfPresent(String.self, forKey: .action) ?? ""
        let actor = try container.decodeIfPresent(Actor.self, forKey: .actor)
        actorID = actor?.ID ?? ""
        attributes = actor?.Attributes ?? [:]
        time = try container.decodeIfPresent(Int64.self, forKey: .time) ?? 0
        timeNano = try container.decodeIfPresent(Int64.self, forKey: .timeNano)
    }
}

/// One entry of `listNetworks`.
public struct NetworkSummary: Sendable, Equatable, Decodable {
    public var id: String
    public var name: String
    public var driver: String
    public var labels: [String: String]

    enum CodingKeys: String, CodingKey {
        case id = "Id", name = "Name", driver = "Driver", labels = "Labels"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        driver = try container.decodeIfPresent(String.self, forKey: .driver) ?? ""
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
    }
}

/// One entry of `listVolumes`.
public struct VolumeSummary: Sendable, Equatable, Decodable {
    public var name: String
    public var driver: String
    public var labels: [String: String]

    enum CodingKeys: String, CodingKey {
        case name = "Name", driver = "Driver", labels = "Labels"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        driver = try container.decodeIfPresent(String.self, forKey: .driver) ?? ""
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
    }
}
