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
