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

/// Settings for rendered Kubernetes objects (`render --target kubernetes|helm`, `deploy`).
public struct KubernetesSettings: Sendable, Equatable {
    public var namespace: String?
    public var ingressClass: String?
    /// How routes become cluster objects (default: an Ingress).
    public var routesAs: RoutesRendering
    /// Secrets the pods pull their images with (`imagePullSecrets`), created by the cluster's owner.
    public var imagePullSecrets: [String]
    /// What a host bind mount becomes; by default it cannot be rendered (an error at its key path).
    public var hostPaths: HostPathRendering
    /// The extended resource that GPUs are requested as, e.g. `nvidia.com/gpu`.
    public var gpuResource: String?
    /// The Gateway an HTTPRoute attaches to (`routesAs: "httproute"`), default `<project>-gateway`.
    public var gateway: String?
    /// The kubectl and helm binaries deploy runs (default: from PATH).
    public var kubectl: String?
    public var helm: String?
    public var cluster: ClusterSettings?

    public init(namespace: String? = nil, ingressClass: String? = nil, routesAs: RoutesRendering = .ingress,
                imagePullSecrets: [String] = [], hostPaths: HostPathRendering = .refuse, gpuResource: String? = nil,
                gateway: String? = nil, kubectl: String? = nil, helm: String? = nil, cluster: ClusterSettings? = nil) {
        self.namespace = namespace
        self.ingressClass = ingressClass
        self.routesAs = routesAs
        self.imagePullSecrets = imagePullSecrets
        self.hostPaths = hostPaths
        self.gpuResource = gpuResource
        self.gateway = gateway
        self.kubectl = kubectl
        self.helm = helm
        self.cluster = cluster
    }
}

/// `kubernetes.routesAs`: the object routes are rendered as.
public enum RoutesRendering: String, Sendable, Equatable, CaseIterable {
    /// `networking.k8s.io/v1` Ingress (the default).
    case ingress
    /// Gateway API `gateway.networking.k8s.io/v1` HTTPRoute.
    case httpRoute = "httproute"
    /// No routing object: the cluster's owner routes to the Services.
    case none
}

/// `kubernetes.hostPaths`: what a host bind mount becomes in a cluster, where the host's files are not.
public enum HostPathRendering: String, Sendable, Equatable, CaseIterable {
    /// An error at the mount's key path (the default): the files would silently be missing.
    case refuse = "error"
    /// An empty directory per pod (`emptyDir`), asked for on purpose.
    case emptyDir
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
