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
    /// `Config.User`: the user the process runs as (`name`, `uid`, `uid:gid`, …; the image's
    /// `USER` unless the container set one); empty for root.
    public var user: String

    enum CodingKeys: String, CodingKey {
        case id = "Id", name = "Name", image = "Image", state = "State", config = "Config", networkSettings = "NetworkSettings"
    }

    private struct Config: Decodable {
        var Labels: [String: String]?
        var User: String?
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
        let config = try container.decodeIfPresent(Config.self, forKey: .config)
        labels = config?.Labels ?? [:]
        user = config?.User ?? ""
        let settings = try container.decodeIfPresent(NetworkSettings.self, forKey: .networkSettings)
        ports = (settings?.Ports ?? [:]).compactMapValues { $0 }
        networks = settings?.Networks ?? [:]
    }
}
