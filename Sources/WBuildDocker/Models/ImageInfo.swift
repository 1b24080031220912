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
    /// `Config.Entrypoint` and `Config.Cmd`: what a container of this image runs by default.
    public var entrypoint: [String]
    public var command: [String]

    enum CodingKeys: String, CodingKey {
        case id = "Id", repoTags = "RepoTags", repoDigests = "RepoDigests", created = "Created", size = "Size", config = "Config"
    }

    private struct Config: Decodable {
        var Labels: [String: String]?
        var Entrypoint: [String]?
        var Cmd: [String]?
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        repoTags = try container.decodeIfPresent([String].self, forKey: .repoTags) ?? []
        repoDigests = try container.decodeIfPresent([String].self, forKey: .repoDigests) ?? []
        created = try container.decodeIfPresent(String.self, forKey: .created) ?? ""
        size = try container.decodeIfPresent(Int64.self, forKey: .size)
        let config = try container.decodeIfPresent(Config.self, forKey: .config)
        labels = config?.Labels ?? [:]
        entrypoint = config?.Entrypoint ?? []
        command = config?.Cmd ?? []
    }
}
