/// What `inspectImage` reports about a local image.
public struct ImageInfo: Sendable, Equatable, Decodable {
    /// `sha256:…`.
    public var id: String
    public var repoTags: [String]
    public var repoDigests: [String]
    /// `Config.Labels`.
    public var labels: [String: String]
    /// RFC 3339 creation time.
    public var created: String
    public var size: Int64?

    enum CodingKeys: String, CodingKey {
        case id = "Id", repoTags = "RepoTags", repoDigests = "RepoDigests", created = "Created", size = "Size", config = "Config"
    }

    private struct Config: Decodable {
        var Labels: [String: String]?
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        repoTags = try container.decodeIfPresent([String].self, forKey: .repoTags) ?? []
        repoDigests = try container.decodeIfPresent([String].self, forKey: .repoDigests) ?? []
        created = try container.decodeIfPresent(String.self, forKey: .created) ?? ""
        size = try container.decodeIfPresent(Int64.self, forKey: .size)
        labels = try container.decodeIfPresent(Config.self, forKey: .config)?.Labels ?? [:]
    }
}
