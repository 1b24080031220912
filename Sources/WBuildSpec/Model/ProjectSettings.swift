/// Where `wbuild publish` pushes images.
public struct PublishSettings: Sendable, Equatable {
    /// `host[:port][/path]`, without a scheme, e.g. `localhost:5000/shop`.
    public var registry: String

    public init(registry: String) {
        self.registry = registry
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
