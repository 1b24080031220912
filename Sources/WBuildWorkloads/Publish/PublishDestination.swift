import WBuildSpec

/// Where one workload's image goes: `<registry>/<workload>`, under the primary tag and the
/// extra ones. Made from `publish` in wbuild.json, with `--registry` taking the registry's place.
public struct PublishDestination: Sendable, Equatable {
    /// `host[:port][/path]`, e.g. `127.0.0.1:5000/shop`.
    public let registry: String
    public let workload: String
    public let tag: PublishTag
    public let extraTags: [String]

    public init(registry: String, workload: String, tag: PublishTag, extraTags: [String]) {
        self.registry = registry
        self.workload = workload
        self.tag = tag
        self.extraTags = extraTags
    }

    /// `127.0.0.1:5000/shop/api`.
    public var repository: String { registry + "/" + workload }

    /// The registry's `host[:port]`, the key credentials are stored under.
    public var registryHost: String {
        registry.split(separator: "/", maxSplits: 1).first.map(String.init) ?? registry
    }

    /// The primary tag for a local image tagged `wbuild/<project>-<workload>:<fingerprint hex>`.
    public func primaryTag(localImage: String) -> String {
        switch tag {
        case .fixed(let fixed): return fixed
        case .fingerprint:
            let (_, localTag) = Self.splitTag(localImage)
            return localTag
        }
    }

    /// `repo:tag` → (`repo`, `tag`); the port colon of a registry host is not a tag.
    static func splitTag(_ reference: String) -> (repository: String, tag: String) {
        let lastSlash = reference.lastIndex(of: "/")
        if let colon = reference.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            return (String(reference[..<colon]), String(reference[reference.index(after: colon)...]))
        }
        return (reference, "latest")
    }
}
