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
