import Foundation
import WBuildCore
import WBuildDocker

/// Waits until the services a deploy created or updated run their new spec on every replica
/// (healthy: Swarm counts a task as running only once its healthcheck passes), reporting each
/// service's progress as a `workloadState` event of `deploy:<service>`, and says why when one
/// does not: the failing task's error and its last log lines, or the rollback Swarm did.
struct SwarmConvergence {
    let client: DockerClient
    let events: EventSink

    /// One service to wait for.
    struct Target: Sendable {
        let id: String
        let name: String
        let image: String
        let replicas: Int
        let isUpdate: Bool
    }

    /// Where a service ended up.
    struct Outcome: Sendable, Equatable {
        var name: String
        var running: Int
        var desired: Int
        /// Node id → running tasks there.
        var nodes: [String: Int]
        var failure: String?
    }

    func wait(for targets: [Target], timeout: Duration, nodeNames: [String: String]) async -> [Outcome] {
        let deadline = ContinuousClock.now + timeout
        var pending = Dictionary(uniqueKeysWithValues: targets.map { ($0.id, $0) })
        var outcomes: [String: Outcome] = [:]
        var lastShown: [String: String] = [:]
        var lastFailure: [String: String] = [:]
        while !pending.isEmpty {
            for target in pending.values.sorted(by: { $0.name < $1.name }) {
                let state = await observe(target, nodeNames: nodeNames)
                if let failure = state.taskFailure { lastFailure[target.id] = failure }
                let line = "\(state.outcome.running)/\(target.replicas) running" + Self.placement(state.outcome.nodes, nodeNames)
                if lastShown[target.id] != line {
                    lastShown[target.id] = line
                    events.emit(.workloadState(NodeID(kind: "deploy", name: target.name),
                                               state: state.converged ? "converged" : "updating", detail: line))
                }
                if state.converged {
                    outcomes[target.id] = state.outcome
                    pending[target.id] = nil
                } else if let rolledBack = state.rolledBack {
                    var outcome = state.outcome
                    outcome.failure = await explain(target, rolledBack + (lastFailure[target.id].map { "; \($0)" } ?? ""))
                    outcomes[target.id] = outcome
                    pending[target.id] = nil
                }
            }
            if pending.isEmpty { break }
            if ContinuousClock.now >= deadline {
                for target in pending.values {
                    var outcome = await observe(target, nodeNames: nodeNames).outcome
                    let why = lastFailure[target.id] ?? "its tasks did not become healthy"
                    outcome.failure = await explain(target, "did not converge within \(timeout): \(why)")
                    outcomes[target.id] = outcome
                }
                break
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return targets.compactMap { outcomes[$0.id] }
    }

    private struct Observation {
        var outcome: Outcome
        var converged: Bool
        var rolledBack: String?
        var taskFailure: String?
    }

    private func observe(_ target: Target, nodeNames: [String: String]) async -> Observation {
        var outcome = Outcome(name: target.name, running: 0, desired: target.replicas, nodes: [:])
        guard let tasks = try? await client.listTasks(services: [target.id]),
              let service = try? await client.listServices(labels: []).first(where: { $0.ID == target.id }) else {
            return Observation(outcome: outcome, converged: false)
        }
        let current = tasks.filter { $0.DesiredState == "running" }
        let fresh = current.filter { Self.sameImage($0.Spec?.ContainerSpec?.Image, target.image) }
        let running = fresh.filter { $0.Status.State == "running" }
        outcome.running = running.count
        for task in running { outcome.nodes[task.NodeID ?? "?", default: 0] += 1 }
        let failed = tasks.filter { ["failed", "rejected"].contains($0.Status.State) && Self.sameImage($0.Spec?.ContainerSpec?.Image, target.image) }
            .sorted { ($0.Status.Timestamp ?? "") > ($1.Status.Timestamp ?? "") }
        let taskFailure = failed.first.map { task in
            let node = nodeNames[task.NodeID ?? ""] ?? task.NodeID ?? "?"
            return "task \(target.name).\(task.Slot ?? 0) on \(node) \(task.Status.State): \(task.Status.Err ?? task.Status.Message ?? "no reason given")"
        }
        let updateState = service.UpdateStatus?.State
        var rolledBack: String?
        switch updateState {
        case "rollback_completed": rolledBack = "Swarm rolled the update back (\(service.UpdateStatus?.Message ?? "update failed")); the previous version serves"
        case "paused", "rollback_paused": rolledBack = "the update is paused (\(service.UpdateStatus?.Message ?? "a task failed"))"
        default: break
        }
        let old = current.count - fresh.count
        let updateDone = updateState == nil || updateState == "completed"
        let converged = running.count == target.replicas && old == 0 && updateDone
        return Observation(outcome: outcome, converged: converged, rolledBack: rolledBack, taskFailure: taskFailure)
    }

    /// `repo@sha256:…` as given, or as the engine stored it (it may add the tag back).
    static func sameImage(_ running: String?, _ wanted: String) -> Bool {
        guard let running else { return false }
        if running == wanted { return true }
        guard let digest = wanted.split(separator: "@").last else { return false }
        return running.hasSuffix("@" + digest)
    }

    static func placement(_ nodes: [String: Int], _ names: [String: String]) -> String {
        guard !nodes.isEmpty else { return "" }
        return " (" + nodes.map { (names[$0.key] ?? String($0.key.prefix(8)), $0.value) }.sorted { $0.0 < $1.0 }
            .map { "\($0.0): \($0.1)" }.joined(separator: ", ") + ")"
    }

    /// `why`, then the service's last log lines.
    private func explain(_ target: Target, _ why: String) async -> String {
        let lines = (try? await client.serviceLogs(target.id, tail: 10)) ?? []
        guard !lines.isEmpty else { return "\(target.name): \(why)" }
        return "\(target.name): \(why)\n" + lines.map { "    \($0)" }.joined(separator: "\n")
    }
}
