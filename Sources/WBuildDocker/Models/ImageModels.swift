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

/// One entry of `listImages`.
public struct ImageSummary: Sendable, Equatable, Decodable {
    public var id: String
    public var repoTags: [String]
    public var labels: [String: String]
    /// Unix seconds.
    public var created: Int64

    enum CodingKeys: String, CodingKey {
        case id = "Id", repoTags = "RepoTags", labels = "Labels", created = "Created"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        repoTags = try container.decodeIfPresent([String].self, forKey: .repoTags) ?? []
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        created = try container.decodeIfPresent(Int64.self, forKey: .created) ?? 0
    }
}

/// Options for `build`: the query parameters of `POST /build` we use.
public struct BuildOptions: Sendable, Equatable {
    /// Each becomes a `t=` tag.
    public var tags: [String]
    /// Path of the Dockerfile inside the context; nil means `Dockerfile`.
    public var dockerfile: String?
    public var buildArgs: [String: String]
    /// Stage to stop at.
    public var target: String?
    /// Labels the daemon adds as a final `LABEL` step.
    public var labels: [String: String]
    public var noCache: Bool
    /// Remove intermediate containers, also after a failure.
    public var forceRemove: Bool
    /// e.g. `linux/amd64`.
    public var platform: String?

    public init(tags: [String] = [], dockerfile: String? = nil, buildArgs: [String: String] = [:], target: String? = nil,
                labels: [String: String] = [:], noCache: Bool = false, forceRemove: Bool = true, platform: String? = nil) {
        self.tags = tags
        self.dockerfile = dockerfile
        self.buildArgs = buildArgs
        self.target = target
        self.labels = labels
        self.noCache = noCache
        self.forceRemove = forceRemove
        self.platform = platform
    }
}

/// Progress of a build, as the engine reports it.
public enum BuildEvent: Sendable, Equatable {
    /// A `Step N/M : INSTRUCTION` line.
    case step(String)
    /// Other output (RUN output, cache notes), one line, ANSI colour codes removed.
    case output(String)
    /// An image ID the build produced (a stage, or the final image when it is the last).
    case imageID(String)
    /// A status line (e.g. pulling a base image).
    case status(String)
}

/// Progress of a pull or push.
public struct PullProgress: Sendable, Equatable {
    public var status: String
    /// Layer id, when the line is about one layer.
    public var layer: String?
    public var current: Int64?
    public var total: Int64?
}
