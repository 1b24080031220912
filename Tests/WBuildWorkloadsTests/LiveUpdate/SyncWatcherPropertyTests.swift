import Foundation
import Synchronization
import Testing
import WBuildSpec
import WBuildTestSupport
import WBuildWatcher
@testable import WBuildWorkloads

/// The sync property with the real watcher deciding the batches: random edits of a real tree
/// (spread out in time so they fall into several batches, some while the previous batch is
/// being applied), every batch the watcher reports planned and read from the host as it is
/// applied to an in-memory container; once the watcher is quiet, the container's tree must
/// equal the host's. Seeded: a failure names its seed and the edits.
@Suite("Sync property through the real watcher")
struct SyncWatcherPropertyTests {
    static let seeds: [UInt64] = Array(501...600)

    /// The in-memory container the watcher's batches are applied to, and what went wrong.
    final class Applied: Sendable {
        let state: Mutex<(container: InMemoryContainer, failures: [String], batches: Int)>
        init(_ container: InMemoryContainer) { state = Mutex((container, [], 0)) }
    }

    @Test("random edits, batched by the real watcher, end with the container equal to the host", arguments: seeds)
    func randomSequence(seed: UInt64) async throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-sync-watcher-property")
        defer { directory.remove() }
        var random = SeededGenerator(seed: seed)
        let script = RandomHostScript(root: directory.path)
        var log: [String] = []
        try FileManager.default.createDirectory(atPath: directory.url("app"), withIntermediateDirectories: true)
        for _ in 0..<8 { if let (what, _) = try script.step(&random) { log.append("image: \(what)") } }
        let image = try InMemoryContainer.image(of: directory.url("app"))
        let applied = Applied(image)
        let planner = try LiveUpdatePlanner(rules: LiveUpdateSpec(sync: [SyncRule(from: "app", to: "/srv/app")]),
                                            target: LiveUpdateTarget(projectRoot: directory.path))
        let watcher = try await FileWatcher.start(WatchOptions(root: directory.path, settle: .milliseconds(5),
                                                               maxDelay: .milliseconds(20)))
        let consumer = Task {
            for await batch in watcher.batches {
                do {
                    guard batch.rescanNeeded.isEmpty else {
                        // A subtree to rescan (a directory moved where no watch saw it land): the
                        // coordinator rebuilds instead, which is a fresh container from the host now.
                        let fresh = try HostTreeSnapshot.read(directory.url("app"))
                        applied.state.withLock { state in
                            for path in state.container.nodes.keys where path.hasPrefix("/srv/app") { state.container.nodes[path] = nil }
                            for (path, node) in fresh { state.container.nodes[path.isEmpty ? "/srv/app" : "/srv/app/" + path] = node }
                        }
                        continue
                    }
                    guard case .apply(let plan) = planner.plan(changedFiles: batch.paths.sorted().map { ChangedFile(path: $0) },
                                                               containerRunning: true) else { throw ScriptError("not a plan") }
                    let operations = try HostSyncReader.changes(for: plan.paths).map(\.operation)
                    try applied.state.withLock { state throws(InMemoryContainer.Failure) in
                        try state.container.apply(operations)
                        state.batches += 1
                    }
                } catch {
                    applied.state.withLock { $0.failures.append("\(error)") }
                }
            }
        }
        for _ in 0..<Int.random(in: 10...30, using: &random) {
            if let (what, _) = try script.step(&random) { log.append(what) }
            // Spread the edits in time (not a wait for anything): some batches close between them.
            if random.oneIn(3) { try await Task.sleep(for: .milliseconds(Int.random(in: 1...30, using: &random))) }
        }
        let host = try HostTreeSnapshot.read(directory.url("app"))
        let settled = await eventually(within: .seconds(20)) {
            applied.state.withLock { !$0.failures.isEmpty || $0.container.tree(at: "/srv/app") == host }
        }
        watcher.stop()
        await consumer.value
        let (container, failures, batches) = applied.state.withLock { ($0.container, $0.failures, $0.batches) }
        #expect(batches >= 1, "seed \(seed): the watcher reported nothing")
        let differences = HostTreeSnapshot.differences(host: host, container: container.tree(at: "/srv/app"))
        #expect(settled && failures.isEmpty && differences.isEmpty,
                "seed \(seed): \(failures)\n\(differences.joined(separator: "\n"))\nedits:\n\(log.joined(separator: "\n"))")
    }
}
