import Foundation

/// One kubeconfig context as `kubectl config view -o json` shows it: its name, its cluster and
/// that cluster's API server.
public struct KubeContext: Sendable, Equatable {
    public var name: String
    public var cluster: String
    /// `https://127.0.0.1:6443`; empty when the kubeconfig names no server for the cluster.
    public var server: String

    public init(name: String, cluster: String, server: String) {
        self.name = name
        self.cluster = cluster
        self.server = server
    }
}

/// The contexts of a kubeconfig and the one it selects (`kubectl config view -o json`).
public struct KubeConfigView: Sendable, Equatable {
    public var contexts: [KubeContext]
    public var currentContext: String?

    private struct Document: Decodable {
        struct NamedCluster: Decodable {
            struct Cluster: Decodable { var server: String? }
            var name: String
            var cluster: Cluster?
        }
        struct NamedContext: Decodable {
            struct Context: Decodable { var cluster: String? }
            var name: String
            var context: Context?
        }
        var clusters: [NamedCluster]?
        var contexts: [NamedContext]?
        var currentContext: String?

        enum CodingKeys: String, CodingKey {
            case clusters, contexts
            case currentContext = "current-context"
        }
    }

    public init(contexts: [KubeContext], currentContext: String?) {
        self.contexts = contexts
        self.currentContext = currentContext
    }

    /// Parses kubectl's JSON; nil when it is not a kubeconfig.
    public init?(json: String) {
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(json.utf8)) else { return nil }
        let servers = Dictionary((document.clusters ?? []).map { ($0.name, $0.cluster?.server ?? "") }, uniquingKeysWith: { first, _ in first })
        contexts = (document.contexts ?? []).map { named in
            let cluster = named.context?.cluster ?? ""
            return KubeContext(name: named.name, cluster: cluster, server: servers[cluster] ?? "")
        }
        currentContext = document.currentContext.flatMap { $0.isEmpty ? nil : $0 }
    }

    public func context(named name: String) -> KubeContext? {
        contexts.first { $0.name == name }
    }
}
