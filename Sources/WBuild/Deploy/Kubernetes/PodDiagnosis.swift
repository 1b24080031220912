import Foundation

/// Why a Deployment's pods are not ready, from `kubectl get pods -o json` and the
/// namespace's events: a pod that cannot be scheduled, a container waiting on its image or
/// crashing, a failing readiness probe. Pure: tested on sample JSON.
public struct PodDiagnosis: Sendable, Equatable {
    /// One pod that is not ready, and why.
    public struct Finding: Sendable, Equatable {
        public var pod: String
        /// The container the reason is about (for `kubectl logs -c`), nil for the pod as a whole.
        public var container: String?
        /// `ImagePullBackOff`, `Unschedulable`, `CrashLoopBackOff`, `Readiness probe failed`, …
        public var reason: String
        public var message: String
        /// Whether waiting longer cannot help (an image that cannot be pulled, a crash loop, a
        /// bad config reference): the rollout fails at once instead of at its timeout.
        public var fatal: Bool

        /// `pod api-5d9c-x2x: container api: Readiness probe failed: HTTP probe failed with statuscode: 404`.
        public var description: String {
            "pod \(pod)" + (container.map { ": container \($0)" } ?? "") + ": " + (message.isEmpty ? reason : message.hasPrefix(reason) ? message : "\(reason): \(message)")
        }
    }

    /// Waiting reasons after which the pod will not become ready by itself.
    static let fatalWaiting: Set<String> = ["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull",
                                            "CreateContainerConfigError", "CreateContainerError", "CrashLoopBackOff", "RunContainerError"]

    struct PodList: Decodable {
        struct Pod: Decodable {
            struct Metadata: Decodable {
                var name: String
                var labels: [String: String]?
                var creationTimestamp: String?
                var deletionTimestamp: String?
            }
            struct Status: Decodable {
                struct Condition: Decodable {
                    var type: String
                    var status: String
                    var reason: String?
                    var message: String?
                }
                struct ContainerStatus: Decodable {
                    struct State: Decodable {
                        struct Waiting: Decodable { var reason: String?; var message: String? }
                        struct Terminated: Decodable { var reason: String?; var message: String?; var exitCode: Int? }
                        var waiting: Waiting?
                        var terminated: Terminated?
                    }
                    var name: String
                    var ready: Bool?
                    var restartCount: Int?
                    var state: State?
                    var lastState: State?
                }
                var phase: String?
                var conditions: [Condition]?
                var containerStatuses: [ContainerStatus]?
            }
            var metadata: Metadata
            var status: Status?
        }
        var items: [Pod]?
    }

    struct EventList: Decodable {
        struct Event: Decodable {
            struct Involved: Decodable { var kind: String?; var name: String?; var fieldPath: String? }
            var involvedObject: Involved
            var reason: String?
            var message: String?
            var type: String?
            var lastTimestamp: String?
            var count: Int?
        }
        var items: [Event]?
    }

    public var findings: [Finding]

    /// The pods of `podsJSON` whose labels include `selector` and that are not ready, newest
    /// first, each with the most telling reason; `eventsJSON` (the namespace's events) supplies
    /// probe failures and scheduling messages.
    public init(podsJSON: String, eventsJSON: String?, selector: [String: String]) {
        let pods = (try? JSONDecoder().decode(PodList.self, from: Data(podsJSON.utf8)))?.items ?? []
        let events = eventsJSON.flatMap { try? JSONDecoder().decode(EventList.self, from: Data($0.utf8)) }?.items ?? []
        let selected = pods.filter { pod in
            pod.metadata.deletionTimestamp == nil && selector.allSatisfy { pod.metadata.labels?[$0.key] == $0.value }
        }.sorted { ($0.metadata.creationTimestamp ?? "") > ($1.metadata.creationTimestamp ?? "") }
        findings = selected.compactMap { Self.finding(for: $0, events: events) }
    }

    static func finding(for pod: PodList.Pod, events: [EventList.Event]) -> Finding? {
        let name = pod.metadata.name
        let status = pod.status
        let podEvents = events.filter { $0.involvedObject.name == name && ($0.involvedObject.kind ?? "Pod") == "Pod" }
            .sorted { ($0.lastTimestamp ?? "") < ($1.lastTimestamp ?? "") }
        if let unscheduled = status?.conditions?.first(where: { $0.type == "PodScheduled" && $0.status == "False" }) {
            let message = unscheduled.message ?? podEvents.last { $0.reason == "FailedScheduling" }?.message ?? ""
            return Finding(pod: name, container: nil, reason: unscheduled.reason ?? "Unschedulable", message: message, fatal: false)
        }
        let containers = status?.containerStatuses ?? []
        for container in containers {
            if let waiting = container.state?.waiting, let reason = waiting.reason, reason != "ContainerCreating", reason != "PodInitializing" {
                var message = waiting.message ?? ""
                if reason == "CrashLoopBackOff", let last = container.lastState?.terminated {
                    message = "it exited with code \(last.exitCode ?? -1)" + (last.reason.map { " (\($0))" } ?? "") + ", \(container.restartCount ?? 0) restarts"
                }
                return Finding(pod: name, container: container.name, reason: reason, message: message, fatal: fatalWaiting.contains(reason))
            }
        }
        for container in containers where container.ready != true {
            if let terminated = container.state?.terminated {
                return Finding(pod: name, container: container.name, reason: terminated.reason ?? "Terminated",
                               message: "it exited with code \(terminated.exitCode ?? -1)", fatal: false)
            }
            let probe = podEvents.last { event in
                event.reason == "Unhealthy" && (event.message ?? "").hasPrefix("Readiness probe failed")
                    && (event.involvedObject.fieldPath.map { $0.contains("{\(container.name)}") } ?? true)
            }
            if let probe, let message = probe.message {
                return Finding(pod: name, container: container.name, reason: "Readiness probe failed", message: message, fatal: false)
            }
            if container.state?.waiting == nil, container.state?.terminated == nil {
                return Finding(pod: name, container: container.name, reason: "NotReady",
                               message: "running, its readiness probe has not passed yet", fatal: false)
            }
        }
        if containers.isEmpty, let phase = status?.phase, phase == "Pending" {
            return Finding(pod: name, container: nil, reason: "Pending", message: "its containers have not started yet", fatal: false)
        }
        return nil
    }
}
