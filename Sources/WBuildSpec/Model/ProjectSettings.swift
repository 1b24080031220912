/// Where and under which tags `wbuild publish` pushes the images the project builds.
///
/// Workload `api` goes to `<registry>/api:<tag>`, then to each of `extraTags`. The primary tag
/// decides whether anything is pushed (the registry already has it with the same digest ⇒
/// nothing); extra tags such as `latest` follow it and never decide a skip.
public struct PublishSettings: Sendable, Equatable {
    /// `host[:port][/path]`, without a scheme, e.g. `localhost:5000/shop`.
    public var registry: String
    /// The primary tag of every pushed image.
    public var tag: PublishTag
    /// Tags pushed after the primary one, e.g. `latest`.
    public var extraTags: [String]

    public init(registry: String, tag: PublishTag = .fingerprint, extraTags: [String] = []) {
        self.registry = registry
        self.tag = tag
        self.extraTags = extraTags
    }
}

/// How `publish.tag` names an image in the registry.
public enum PublishTag: Sendable, Equatable, CustomStringConvertible {
    /// The image's own fingerprint (the 16 hex of its local `wbuild/…:<hex>` tag): a content
    /// address, so a tag never has to move and a second publish of the same inputs is a no-op.
    case fingerprint
    /// The same fixed tag for every image, e.g. `v1.2.0`; publishing other content under it is a
    /// conflict error, never an overwrite.
    case fixed(String)

    public var description: String {
        switch self {
        case .fingerprint: return "fingerprint"
        case .fixed(let tag): return tag
        }
    }
}

/// Settings for rendered Kubernetes objects.
public struct KubernetesSettings: Sendable, Equatable {
    public var namespace: String?
    public var ingressClass: String?
    public var cluster: ClusterSettings?

    public init(namespace: String? = nil, ingressClass: String? = nil, cluster: ClusterSettings? = nil) {
        self.namespace = namespace
        self.ingressClass = ingressClass
        self.cluster = cluster
    }
}

/// Which cluster to deploy to: one made for the app (default), or an existing one.
public struct ClusterSettings: Sendable, Equatable {
    public var existing: Bool
    /// The kubeconfig context of the existing cluster.
    public var context: String?
    /// A Helm values file for the existing cluster, relative to the project root.
    public var valuesFile: String?

    public init(existing: Bool = false, context: String? = nil, valuesFile: String? = nil) {
        self.existing = existing
        self.context = context
        self.valuesFile = valuesFile
    }
}

/// How the watcher turns a burst of file events into one change.
public struct WatchSettings: Sendable, Equatable {
    /// Quiet time after the last event before acting (default 30).
    public var settleMs: Int
    /// Longest wait from the first event of a burst, however busy (default 1000).
    public var maxDelayMs: Int
    /// Patterns never watched (on top of `.wbuild/` and VCS directories).
    public var ignore: [String]

    public init(settleMs: Int = WatchSettings.defaultSettleMs, maxDelayMs: Int = WatchSettings.defaultMaxDelayMs,
                ignore: [String] = []) {
        self.settleMs = settleMs
        self.maxDelayMs = maxDelayMs
        self.ignore = ignore
    }

    public static let defaultSettleMs = 30
    public static let defaultMaxDelayMs = 1000
}

/// Housekeeping of the images wbuild builds.
public struct ImageSettings: Sendable, Equatable {
    /// How many builds per workload to keep (default 3).
    public var keep: Int

    public init(keep: Int = ImageSettings.defaultKeep) {
        self.keep = keep
    }

    public static let defaultKeep = 3
}
