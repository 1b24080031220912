import Foundation

/// A Deployment's rollout as `kubectl get deployments -o json` reports it, and whether it is
/// done (the test `kubectl rollout status` makes): the controller has seen the newest spec,
/// every replica runs it, no old one is left, and all are available.
public struct DeploymentState: Sendable, Equatable {
    public var name: String
    public var namespace: String
    public var generation: Int
    public var observedGeneration: Int
    public var desired: Int
    public var replicas: Int
    public var updated: Int
    public var ready: Int
    public var available: Int
    /// `Progressing=False` with this reason and message (`ProgressDeadlineExceeded`).
    public var stalled: String?
    /// The labels its pods are selected by.
    public var selector: [String: String]

    public var isComplete: Bool {
        observedGeneration >= generation && updated == desired && replicas == updated && available == desired && ready >= desired
    }

    /// `1/2 updated, 0/2 ready`.
    public var progress: String {
        "\(updated)/\(desired) updated, \(ready)/\(desired) ready" + (replicas > updated ? ", \(replicas - updated) old" : "")
    }

    private struct List: Decodable {
        struct Item: Decodable {
            struct Metadata: Decodable {
                var name: String
                var namespace: String?
                var generation: Int?
            }
            struct Spec: Decodable {
                struct Selector: Decodable { var matchLabels: [String: String]? }
                var replicas: Int?
                var selector: Selector?
            }
            struct Status: Decodable {
                struct Condition: Decodable {
                    var type: String
                    var status: String
                    var reason: String?
                    var message: String?
                }
                var observedGeneration: Int?
                var replicas: Int?
                var updatedReplicas: Int?
                var readyReplicas: Int?
                var availableReplicas: Int?
                var conditions: [Condition]?
            }
            var metadata: Metadata
            var spec: Spec?
            var status: Status?
        }
        var items: [Item]?
    }

    /// The Deployments of a `kubectl get deployments -o json` List; nil when it is none.
    public static func parse(json: String) -> [DeploymentState]? {
        guard let list = try? JSONDecoder().decode(List.self, from: Data(json.utf8)) else { return nil }
        return (list.items ?? []).map { item in
            let status = item.status
            let stalled = status?.conditions?.first { $0.type == "Progressing" && $0.status == "False" }
                .map { [$0.reason, $0.message].compactMap { $0 }.joined(separator: ": ") }
            return DeploymentState(
                name: item.metadata.name, namespace: item.metadata.namespace ?? "", generation: item.metadata.generation ?? 0,
                observedGeneration: status?.observedGeneration ?? 0, desired: item.spec?.replicas ?? 1,
                replicas: status?.replicas ?? 0, updated: status?.updatedReplicas ?? 0, ready: status?.readyReplicas ?? 0,
                available: status?.availableReplicas ?? 0, stalled: stalled, selector: item.spec?.selector?.matchLabels ?? [:])
        }
    }
}
