import Foundation
import WBuildCore
import WBuildDocker
import WBuildFiles
import WBuildSpec
import WBuildSystem
import WBuildWatcher
import WBuildWorkloads

/// Decides, for each batch of changes in `watch`, which workloads take them as a live update
/// (sync into the running containers, run steps, restart the process) instead of a rebuild,
/// and applies those updates — one at a time per workload, all replicas in parallel.
actor LiveUpdateCoordinator {
    private struct Workload {
        let spec: WorkloadSpec
        let planner: LiveUpdatePlanner
        let ledger: SyncLedger
    }

    private let workloads: [String: Workload]
    private let runtime: WorkloadRuntime
    private let executor: LiveUpdateExecutor
    private let events: EventSink
    private var running: [String: Task<Void, Never>] = [:]
    /// Called when a live update cannot be applied for reasons other than the user's (the
    /// supervisor is unreachable…): the workload then goes the rebuild way.
    private let fallBack: @Sendable (String) async -> Void

    private init(workloads: [String: Workload], runtime: WorkloadRuntime, client: DockerClient, events: EventSink,
                 fallBack: @escaping @Sendable (String) async -> Void) {
        self.workloads = workloads
        self.runtime = runtime
        self.executor = LiveUpdateExecutor(client: client)
        self.events = events
        self.fallBack = fallBack
    }

    /// Planners and ledgers for every workload with `liveUpdate` rules; nil when there are none.
    static func make(engine: Engine, fallBack: @escaping @Sendable (String) async -> Void) async -> LiveUpdateCoordinator? {
        guard let runtime = engine.runtime, let client = engine.project.docker else { return nil }
        let layout = engine.project.layout
        var workloads: [String: Workload] = [:]
        for spec in engine.project.spec.workloads {
            guard let rules = spec.liveUpdate else { continue }
            var target = LiveUpdateTarget(projectRoot: layout.root)
            if case .build(let build) = spec.source {
                let context = Self.clean(build.context)
                let ignores = (try? IgnoreRules.load(file: layout.absolute(build.context) + "/.dockerignore")) ?? .none
                target = LiveUpdateTarget(projectRoot: layout.root, buildContext: context,
                                          dockerfile: build.dockerfile ?? (context.isEmpty ? "Dockerfile" : context + "/Dockerfile"),
                                          contextIgnores: ignores)
            }
            let root = layout.root
            if let problem = await BlockingWork.run(name: "wbuild-sync-sources", { Self.linkedSyncSource(rules, root: root) }) {
                engine.events.emit(.warning("workloads.\(spec.name).liveUpdate.\(problem); changes to it rebuild the image"))
                continue
            }
            do {
                let planner = try LiveUpdatePlanner(rules: rules, target: target)
                let ledger = try await SyncLedger.load(workload: spec.name, layout: layout)
                workloads[spec.name] = Workload(spec: spec, planner: planner, ledger: ledger)
            } catch {
                engine.events.emit(.warning("workloads.\(spec.name).liveUpdate: \(error); changes to it rebuild the image"))
            }
        }
        guard !workloads.isEmpty else { return nil }
        return LiveUpdateCoordinator(workloads: workloads, runtime: runtime, client: client, events: engine.events, fallBack: fallBack)
    }

    /// A sync rule whose `from` is, or passes through, a symbolic link: what it names is not
    /// what the watcher sees (it never follows links), and it may lead out of the project. The
    /// spec already refuses a `from` that leaves the project by `..`; this is the check that
    /// needs the file system. Nil when every rule's `from` is a real directory path (or absent).
    static func linkedSyncSource(_ rules: LiveUpdateSpec, root: String) -> String? {
        for (index, rule) in rules.sync.enumerated() {
            var path = root
            for component in clean(rule.from).split(separator: "/") {
                path += "/" + component
                var info = stat()
                guard lstat(path, &info) == 0 else { break }  // not there (yet): nothing to follow
                if info.st_mode & S_IFMT == S_IFLNK {
                    return "sync[\(index)].from: \"\(rule.from)\" goes through the symbolic link \(path.dropFirst(root.count + 1)); sync from the directory it points to, inside the project"
                }
            }
        }
        return nil
    }

    /// `./api/` → `api`, `.` → ``.
    static func clean(_ path: String) -> String {
        path.split(separator: "/").filter { $0 != "." && !$0.isEmpty }.joined(separator: "/")
    }

    /// The workloads that take this batch as a live update; the caller leaves them out of the
    /// rebuild. A workload whose containers do not run yet, or whose rules say so, is rebuilt.
    func intercept(_ batch: ChangeBatch, root: String) async -> Set<String> {
        guard batch.rescanNeeded.isEmpty else { return [] }  // an overflow: rebuild what is stale
        // Whether each path still exists is decided when the update is applied, not here.
        let changed = batch.paths.sorted().map { ChangedFile(path: $0) }
        let states = (try? await runtime.status()) ?? []
        var handled = Set<String>()
        for (name, workload) in workloads {
            let replicas = states.first { $0.workload == name }?.replicas.filter { $0.engineState == "running" } ?? []
            switch workload.planner.plan(changedFiles: changed, containerRunning: !replicas.isEmpty) {
            case .apply(let plan) where plan.isEmpty:
                continue
            case .apply(let plan):
                handled.insert(name)
                let supervised = WorkloadRule.usesSupervisor(workload.spec)
                let targets = replicas.map { LiveUpdateReplica(containerID: $0.containerID, supervised: supervised) }
                enqueue(name) { await self.apply(plan, workload: workload, to: targets, batch: batch) }
            case .rebuild(let reason):
                if workloadTouched(changed, workload) {
                    events.emit(.warning("\(name): rebuilding instead of a live update: \(reason)"))
                }
            }
        }
        return handled
    }

    /// Whether any change is one the workload's planner would look at (so a rebuild is worth a word).
    private func workloadTouched(_ changed: [ChangedFile], _ workload: Workload) -> Bool {
        if case .apply(let plan) = workload.planner.plan(changedFiles: changed, containerRunning: true), plan.isEmpty { return false }
        return true
    }

    private func enqueue(_ name: String, _ work: @escaping @Sendable () async -> Void) {
        let previous = running[name]
        running[name] = Task {
            await previous?.value
            await work()
        }
    }

    private func apply(_ plan: LiveUpdatePlan, workload: Workload, to replicas: [LiveUpdateReplica], batch: ChangeBatch) async {
        let id = NodeID(kind: "workload", name: workload.spec.name)
        let runtime = self.runtime
        let name = workload.spec.name
        var readiness: ReadinessCheck?
        if workload.spec.readiness != nil {
            readiness = { (_: String) async throws -> Void in
                do {
                    try await runtime.waitReady(workload: name, timeout: .seconds(30))
                } catch {
                    throw error
                }
            }
        }
        do {
            let timeline = try await executor.apply(plan, to: replicas, changeSeen: batch.firstEventAt, batchSettled: batch.settledAt,
                                                    readiness: readiness, recordingIn: workload.ledger)
            events.emit(.liveUpdate(id, files: timeline.files, phases: timeline.phases))
        } catch where error.code == .stepFailed || error.code == .noShell {
            // The user's error: say what failed; no rebuild would fix it.
            var message = "\(name): live update step failed: \(error.message)"
            if let code = error.exitCode { message += " (exit code \(code))" }
            if let output = error.output, !output.isEmpty { message += "\n" + output }
            events.emit(.warning(message))
        } catch {
            events.emit(.warning("\(name): live update failed (\(error)); rebuilding instead"))
            await fallBack(name)
        }
    }

    /// A new image contains everything synced so far: forget it.
    func imageRebuilt(_ name: String) async {
        try? await workloads[name]?.ledger.reset()
    }

    /// Waits for updates in flight (at shutdown and before a reload).
    func drain() async {
        for task in running.values { await task.value }
        running = [:]
    }
}
