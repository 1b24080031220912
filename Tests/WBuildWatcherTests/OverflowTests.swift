import Foundation
import Synchronization
import Testing
import WBuildTestSupport
import WBuildWatcher

/// When the kernel's event queue overflows, the next batch asks for a full re-scan and the
/// watcher re-walks the tree, so directories created while events were lost are watched.
@Suite struct OverflowTests {
    @Test func injectedOverflowAsksForAFullRescanAndKeepsWatching() async throws {
        let tree = try await WatchedTree.start { try $0.write("src/a.txt", "a") }
        defer { tree.stop() }

        // Simulate losing the events of a directory's creation: create it, then overflow
        // before the reader could have learned of it (the re-walk must find it either way).
        tree.watcher.injectOverflow()
        #expect(await tree.collector.waitForRescan(""))

        try tree.makeDirectories("made/after")
        try tree.write("made/after/f.txt")
        try tree.write("src/a.txt", "changed")
        #expect(await tree.collector.waitForPaths(["made/after/f.txt", "src/a.txt"]))
    }

    @Test func anOverflowIsSaidWithTheSysctlToRaise() async throws {
        let tree = try await WatchedTree.start { try $0.write("src/a.txt", "a") }
        defer { tree.stop() }
        let warnings = Mutex<[WatchWarning]>([])
        let stream = tree.watcher.warnings
        let reader = Task { for await warning in stream { warnings.withLock { $0.append(warning) } } }
        defer { reader.cancel() }

        tree.watcher.injectOverflow()
        #expect(await tree.collector.waitForRescan(""))
        #expect(await eventually { warnings.withLock { $0.contains { $0.kind == .eventsLost } } })
        let message = warnings.withLock { $0.first { $0.kind == .eventsLost }?.message } ?? ""
        #expect(message.contains("fs.inotify.max_queued_events"), "\(message)")
        #expect(message.contains("rescanning"), "\(message)")
    }

    @Test func realOverflowFromATinyKernelQueueIsRecovered() async throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-watcher-overflow")
        defer { directory.remove() }
        try directory.write("existing/a.txt", "a")

        // The kernel reads max_queued_events when the instance is created; lower it just for
        // that moment (other watcher starts in this process wait), then restore it.
        // The ignore closure runs on the reader thread: the gate holds the reader there while
        // the queue fills, so the overflow does not depend on winning a race.
        let gate = ReaderGate(path: "hold-the-reader")
        let options = WatchOptions(root: directory.path, isIgnored: { path, _ in
            gate.holdIfMatching(path)
            return false
        })
        let (watcher, lowered) = try await InotifyLimits.withQueuedEventsLowered(to: 16) { lowered in
            (try await FileWatcher.start(options), lowered)
        }
        defer { watcher.stop() }
        let collector = BatchCollector(watcher)

        if lowered {
            try directory.write("hold-the-reader", "")
            #expect(await eventually { gate.isHolding })
            // Far more than 16 events while the reader is held: the kernel queue overflows,
            // and the creation of "flood/sub3" comes after it, so its event is surely lost.
            for index in 0..<100 {
                try directory.write("f\(index).txt", "x")
            }
            for index in 0..<10 { try directory.write("flood/sub\(index)/f.txt", "x") }
            gate.release()
            #expect(await collector.waitForRescan(""))
        } else {
            // Not root, or /proc read-only here: the recovery path is still exercised, by injection.
            gate.release()
            Issue.record("\(InotifyLimits.queuedEventsPath) is not writable; checked the injected overflow only")
            watcher.injectOverflow()
            #expect(await collector.waitForRescan(""))
            for index in 0..<10 { try directory.write("flood/sub\(index)/f.txt", "x") }
        }

        // Directories that appeared while events were being lost are watched after recovery.
        try directory.write("flood/sub3/after.txt", "y")
        #expect(await collector.waitForPaths(["flood/sub3/after.txt"]))
    }
}

/// Holds the reader thread inside the ignore closure when it meets `path`, until released.
final class ReaderGate: Sendable {
    private let path: String
    private let state = Mutex((holding: false, released: false))

    init(path: String) { self.path = path }

    var isHolding: Bool { state.withLock { $0.holding } }

    func release() { state.withLock { $0.released = true } }

    /// Called on the reader thread (a dedicated thread, so blocking here is allowed).
    func holdIfMatching(_ candidate: String) {
        guard candidate == path else { return }
        state.withLock { $0.holding = true }
        while !state.withLock({ $0.released }) { usleep(1000) }
        state.withLock { $0.holding = false }
    }
}
