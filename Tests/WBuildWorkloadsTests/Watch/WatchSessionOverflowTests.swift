import Foundation
import Synchronization
import Testing
@testable import WBuild
import WBuildTestSupport
import WBuildWatcher
import WBuildWorkloads

/// The watch loop's answer to a watcher overflow: a full rescan of the sources, so a change
/// whose event the kernel dropped is still found — and nothing is invented.
@Suite struct WatchSessionOverflowTests {
    final class Collected: Sendable {
        let events = Mutex<[BuildEvent]>([])
        var sink: EventSink { EventSink { event in self.events.withLock { $0.append(event) } } }
        func builtReasons(_ id: String) -> [String] {
            events.withLock { list in
                list.compactMap { event in
                    if case .nodeDone(let result) = event, result.id.description == id, result.status == .built {
                        return result.reason.description
                    }
                    return nil
                }
            }
        }
        var passes: Int { events.withLock { $0.filter { if case .passDone = $0 { return true } else { return false } }.count } }
    }

    func waitFor(_ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test func anOverflowRescanFindsChangesWhoseEventsWereLost() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("wbuild.json", "{ name: \"o\", tasks: { t: { cmd: \"true\", inputs: [\"src/**\"] } } }")
        try dir.write("src/a.txt", "1")
        let collected = Collected()
        let engine = try Engine.load(projectFile: dir.url("wbuild.json"), events: collected.sink)
        let session = try WatchSession(engine: engine, projectFile: dir.url("wbuild.json"), options: WatchLoopOptions(),
                                       events: collected.sink, supervisor: ServeSupervisor(events: collected.sink))
        for source in engine.project.sources.values { source.trustsWatcher = true }
        let now = ContinuousClock.now
        // First pass, as `watch` starts.
        await session.handle(ChangeBatch(paths: [], rescanNeeded: [""], firstEventAt: now, settledAt: now))
        #expect(await waitFor { collected.builtReasons("task:t").count == 1 })

        // A change the watcher never reported: trusted sources do not see it…
        try dir.write("src/a.txt", "2")
        await session.handle(ChangeBatch(paths: ["notes.txt"], rescanNeeded: [], firstEventAt: now, settledAt: now))
        #expect(collected.builtReasons("task:t").count == 1)
        // …until an overflow asks for a rescan, which finds exactly that file.
        await session.handle(ChangeBatch(paths: [], rescanNeeded: [""], firstEventAt: now, settledAt: now))
        #expect(await waitFor { collected.builtReasons("task:t").count == 2 })
        #expect(collected.builtReasons("task:t").last == "inputs changed: src/a.txt")

        // Another overflow with nothing changed runs nothing.
        let passes = collected.passes
        await session.handle(ChangeBatch(paths: [], rescanNeeded: [""], firstEventAt: now, settledAt: now))
        #expect(await waitFor { collected.passes > passes })
        #expect(collected.builtReasons("task:t").count == 2)
    }
}
