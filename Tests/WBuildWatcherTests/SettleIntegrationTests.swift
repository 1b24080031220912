import WBuildTestSupport
import Foundation
import Synchronization
import Testing
import WBuildWatcher

/// The settle window on the real reader thread: a batch closes by quiet period or by the
/// hard cap, whichever comes first. Each test makes the other bound unreachable, so the
/// batch arriving at all proves which bound closed it.
@Suite struct SettleIntegrationTests {
    @Test func hardCapClosesABatchEvenWhenTheQuietPeriodNeverEnds() async throws {
        let tree = try await WatchedTree.start(configure: { options in
            options.settle = .seconds(3600)
            options.maxDelay = .milliseconds(100)
        })
        defer { tree.stop() }

        try tree.write("a.txt")
        #expect(await tree.collector.waitForPaths(["a.txt"]))
    }

    @Test func quietPeriodClosesABatchLongBeforeTheHardCap() async throws {
        let tree = try await WatchedTree.start(configure: { options in
            options.settle = .milliseconds(30)
            options.maxDelay = .seconds(3600)
        })
        defer { tree.stop() }

        try tree.write("a.txt")
        #expect(await tree.collector.waitForPaths(["a.txt"]))
    }

    @Test func stopEmitsTheBatchStillSettling() async throws {
        // The ignore closure runs on the reader thread as it handles an event: once it has
        // seen "a.txt", that event is in the open batch (stop is only looked at between turns).
        let seen = Mutex(false)
        let tree = try await WatchedTree.start(configure: { options in
            options.settle = .seconds(3600)
            options.maxDelay = .seconds(3600)
            options.isIgnored = { path, _ in
                if path == "a.txt" { seen.withLock { $0 = true } }
                return false
            }
        })
        defer { tree.directory.remove() }

        try tree.write("a.txt")
        #expect(await eventually { seen.withLock { $0 } })
        tree.watcher.stop()

        #expect(await eventually { tree.collector.isFinished })
        #expect(tree.collector.allPaths == ["a.txt"])
    }
}
