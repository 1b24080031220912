/// One entry of `listContainers`.
public struct ContainerSummary: Sendable, Equatable, Decodable {
    /// One published or exposed port.
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
