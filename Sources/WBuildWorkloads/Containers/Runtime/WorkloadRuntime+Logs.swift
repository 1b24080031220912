import Foundation
import Synchronization
import WBuildCore
import WBuildDocker

extension WorkloadRuntime {
    /// The logs of `workload`'s containers (all workloads when nil), sidecars included, each
    /// line tagged with workload, replica and stream. Without `follow` the stream ends after
    /// the existing lines; with it, it goes on, and follows containers that start later (a
    /// replacement, a restart) until the consumer stops iterating. `selection` limits the lines
    /// of the containers there now (tail, since) and adds timestamps; a container that starts
    /// while following is shown from its start.
    public func logs(workload: String? = nil, follow: Bool = false,
                     selection: LogSelection = LogSelection()) -> AsyncThrowingStream<WorkloadLogLine, any Error> {
        let client = self.client
        var labels = [projectLabel]
        if let workload { labels.append(ContainerLabels.workloadFilter(workload)) }
        let (stream, continuation) = AsyncThrowingStream<WorkloadLogLine, any Error>.makeStream()
        let task = Task {
            do {
                if follow {
                    try await Self.followLogs(client: client, labels: labels, selection: selection, into: continuation)
                } else {
                    for container in try await client.listContainers(labels: labels).filter(Self.hasWorkloadLogs).sorted(by: Self.logOrder) {
                        try await Self.copyLogs(client: client, container: container, follow: false, selection: selection,
                                                into: continuation)
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: Task.isCancelled ? nil : error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Replicas and sidecars; not the front door or the router, whose lines are not a workload's
    /// (the router's requests are `route` events; `docker logs wbuild-<project>-router` has the rest).
    private static func hasWorkloadLogs(_ container: ContainerSummary) -> Bool {
        !ContainerLabels.isDoor(container.labels) && !ContainerLabels.isRouter(container.labels)
    }

    private static func logOrder(_ lhs: ContainerSummary, _ rhs: ContainerSummary) -> Bool {
        func key(_ container: ContainerSummary) -> (String, String, String, String) {
            (container.labels[ContainerLabels.workload] ?? "", container.labels[ContainerLabels.replica] ?? "",
             container.labels[ContainerLabels.sidecar] ?? "", container.names.first ?? "")
        }
        return key(lhs) < key(rhs)
    }

    /// Follows every running container now, and each that starts later (from its start on).
    private static func followLogs(client: DockerClient, labels: [String], selection: LogSelection,
                                   into continuation: AsyncThrowingStream<WorkloadLogLine, any Error>.Continuation) async throws {
        let startedAt = Int64(Date().timeIntervalSince1970)
        let starts = try await client.events(filters: ["type": ["container"], "label": labels, "event": ["start"]], since: startedAt)
        // Containers to follow, with where to start: the running ones now, then each that starts.
        let (targets, targetsIn) = AsyncStream<(ContainerSummary, Int64?)>.makeStream()
        let discovery = Task {
            do {
                for container in try await client.listContainers(labels: labels, all: false).filter(Self.hasWorkloadLogs) {
                    targetsIn.yield((container, nil))
                }
                for try await event in starts {
                    if let container = try await client.listContainers(labels: labels).first(where: { $0.id == event.actorID }),
                       Self.hasWorkloadLogs(container) {
                        targetsIn.yield((container, event.time))
                    }
                }
            } catch {}
            targetsIn.finish()
        }
        defer { discovery.cancel() }
        let following = FollowedContainers()
        await withTaskGroup(of: Void.self) { group in
            for await (container, since) in targets {
                guard following.insert(container.id) else { continue }
                group.addTask {
                    // Those running now: the selection; those that start later: from their start.
                    var lines = selection
                    if let since {
                        lines.since = since
                        lines.tail = nil
                    }
                    try? await copyLogs(client: client, container: container, follow: true, selection: lines, into: continuation)
                    following.remove(container.id)
                }
            }
            group.cancelAll()
        }
    }

    private static func copyLogs(client: DockerClient, container: ContainerSummary, follow: Bool, selection: LogSelection,
                                 into continuation: AsyncThrowingStream<WorkloadLogLine, any Error>.Continuation) async throws {
        let workload = container.labels[ContainerLabels.workload] ?? "?"
        let replica = Int(container.labels[ContainerLabels.replica] ?? "") ?? 0
        let sidecar = container.labels[ContainerLabels.sidecar]
        for try await line in try await client.logs(container.id, follow: follow, since: selection.since, tail: selection.tail,
                                                    timestamps: selection.timestamps) {
            let stream: LogStream = line.stream == .stderr ? .stderr : .stdout
            var text = line.text, timestamp: String?
            if selection.timestamps, let space = text.firstIndex(of: " ") {
                timestamp = String(text[..<space])
                text = String(text[text.index(after: space)...])
            }
            continuation.yield(WorkloadLogLine(workload: workload, replica: replica, sidecar: sidecar,
                                               containerID: container.id, stream: stream, text: text, timestamp: timestamp))
        }
    }
}

/// The containers whose logs are being followed (a restarted container is followed again).
private final class FollowedContainers: Sendable {
    private let ids = Mutex<Set<String>>([])
    func insert(_ id: String) -> Bool { ids.withLock { $0.insert(id).inserted } }
    func remove(_ id: String) { ids.withLock { _ = $0.remove(id) } }
}

extension WorkloadRuntime {
    /// Follows the logs of `workload` (all when nil) into this runtime's events as
    /// `.log(workload:NAME, stream, line)`, the line prefixed with its replica (`[0] …`, or
    /// `[0/sidecar] …`), across replacements, until the returned task is cancelled. Secret values
    /// of the plans this runtime ran are masked (`(secret)`).
    public func forwardLogs(workload: String? = nil) -> Task<Void, Never> {
        let lines = logs(workload: workload, follow: true)
        let events = self.events
        return Task {
            do {
                for try await line in lines {
                    let origin = "\(line.replica)" + (line.sidecar.map { "/\($0)" } ?? "")
                    let text = self.secretMask.apply(line.text)
                    events.emit(.log(NodeID(kind: "workload", name: line.workload), line.stream, "[\(origin)] \(text)"))
                }
            } catch {
                events.emit(.warning("following the logs of \(workload.map { "workload:\($0)" } ?? "the workloads") stopped: \(error)"))
            }
        }
    }
}
