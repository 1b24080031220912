/// The image a workload runs in a rendering: pinned by digest when published, else a local
/// tag that only a cluster sharing this engine can run.
public struct RenderedImage: Sendable, Equatable {
    /// `127.0.0.1:5000/shop/api`, `wbuild/shop-api`, `redis`.
    public var repository: String
    /// The tag, when known (`3f2a…`, `7`).
    public var tag: String?
    /// `sha256:…`, when pinned.
    public var digest: String?
    /// Whether the reference is one a registry holds (`wbuild publish` pushed it, or the
    /// workload runs a ready-made image); false for a local build.
    public var isPublished: Bool

    public init(repository: String, tag: String? = nil, digest: String? = nil, isPublished: Bool) {
        self.repository = repository
        self.tag = tag
        self.digest = digest
        self.isPublished = isPublished
    }

    /// What a manifest writes: `repository@sha256:…` when pinned, else `repository:tag`
    /// (`repository` alone when there is no tag).
    public var reference: String {
        if let digest { return "\(repository)@\(digest)" }
        if let tag { return "\(repository):\(tag)" }
        return repository
    }

    /// Splits a reference as Docker reads it: `[host[:port]/]path[:tag][@digest]`. A colon in
    /// the host part (a registry port) is not a tag.
    public init(parsing reference: String, isPublished: Bool) {
        var rest = Substring(reference)
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        var tag: String?
        let lastSlash = rest.lastIndex(of: "/")
        if let colon = rest.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        self.init(repository: String(rest), tag: tag, digest: digest, isPublished: isPublished)
    }
}
