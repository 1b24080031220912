import Foundation
import Synchronization
import WBuildDocker
import WBuildSpec
import WBuildSystem
import WBuildTestSupport
import WBuildWatcher
@testable import WBuildWorkloads

/// The watch path of a live update, end to end but for the CLI: the real watcher on the
/// project, and for each batch it reports, the real planner and executor, one batch at a time
/// (as `LiveUpdateCoordinator` does), into one container.
final class WatchedSync: Sendable {
    private let state = Mutex<(batches: Int, failures: [String])>((0, []))

    var batchesApplied: Int { state.withLock { $0.batches } }
    var failures: [String] { state.withLock { $0.failures } }

    /// Runs `body` while batches are applied; stops the watcher after it and waits for the last batch.
    static func run(_ project: LiveUpdateProject, transport: SyncTransport, into id: String, client: DockerClient,
                    settle: Duration = .milliseconds(30), maxDelay: Duration = .milliseconds(100),
                    _ body: (WatchedSync) async throws -> Void) async throws {
        let sync = WatchedSync()
        let executor = LiveUpdateExecutor(client: client, transport: transport)
        let watcher = try await FileWatcher.start(WatchOptions(root: project.directory.path, settle: settle, maxDelay: maxDelay))
        let consumer = Task {
            for await batch in watcher.batches {
                await sync.apply(batch, project: project, executor: executor, into: id)
            }
        }
        do {
            try await body(sync)
        } catch {
            watcher.stop()
            await consumer.value
            throw error
        }
        watcher.stop()
        await consumer.value
    }

    private func apply(_ batch: ChangeBatch, project: LiveUpdateProject, executor: LiveUpdateExecutor, into id: String) async {
        guard batch.rescanNeeded.isEmpty else {
            state.withLock { $0.failures.append("the watcher overflowed (\(batch.rescanNeeded.sorted())): a rebuild, not a sync") }
            return
        }
        do {
            let plan = try project.plan(batch.paths.sorted().map { ChangedFile(path: $0) }, rules: project.rules())
            _ = try await executor.apply(plan, to: [LiveUpdateReplica(containerID: id, supervised: true)])
            state.withLock { $0.batches += 1 }
        } catch {
            state.withLock { $0.failures.append("batch of \(batch.paths.count): \(error)") }
        }
    }
}

/// Runs a host command (tar, cp) to completion off the cooperative pool; throws when it fails.
func runHostCommand(_ arguments: [String]) async throws {
    let status = try await BlockingWork.run(name: "test-host-command") { () throws -> Int32 in
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
    guard status == 0 else { throw ScriptError("\(arguments.joined(separator: " ")) exited \(status)") }
}
