import WBuildTestSupport
import Synchronization
import WBuildWatcher

/// Collects every batch a watcher emits, so a test can wait (with a deadline) until what
/// it expects has arrived and then assert on everything that came.
final class BatchCollector: Sendable {
    private let received = Mutex<[ChangeBatch]>([])
    private let finished = Mutex(false)

    /// Starts draining `watcher.batches` into the collector.
    init(_ watcher: FileWatcher) {
        let stream = watcher.batches
        Task { [self] in
            for await batch in stream { received.withLock { $0.append(batch) } }
            finished.withLock { $0 = true }
        }
    }

    var batches: [ChangeBatch] { received.withLock { $0 } }
    var allPaths: Set<String> { batches.reduce(into: []) { $0.formUnion($1.paths) } }
    var allRescans: Set<String> { batches.reduce(into: []) { $0.formUnion($1.rescanNeeded) } }
    var isFinished: Bool { finished.withLock { $0 } }

    /// Waits until every path in `expected` has been reported; false at the deadline.
    func waitForPaths(_ expected: Set<String>, timeout: Duration = .seconds(10)) async -> Bool {
        await eventually(within: timeout) { expected.isSubset(of: self.allPaths) }
    }

    /// Waits until some batch asks for a re-scan of `subtree`; false at the deadline.
    func waitForRescan(_ subtree: String, timeout: Duration = .seconds(10)) async -> Bool {
        await eventually(within: timeout) { self.allRescans.contains(subtree) }
    }
}

