import Foundation
import Synchronization
import Testing
@testable import WBuild
import WBuildTestSupport
import WBuildWatcher
import WBuildWorkloads

/// After a watcher overflow the lost changes are found by a rescan, and when sync rules cover
/// every one of them they still take the live-update path: no rebuild of the image.
@Suite struct WatchSessionOverflowLiveUpdateTests {
    final class Collected: Sendable {
        let events = Mutex<[BuildEvent]>([])
        var sink: EventSink { EventSink { event in self.events.withLock { $0.append(event) } } }
        func built(_ id: String) -> Int {
            events.withLock { list in
                list.filter { if case .nodeDone(let result) = $0 { result.id.description == id && result.status == .built } else { false } }.count
            }
        }
        var liveUpdates: Int { events.withLock { $0.filter { if case .liveUpdate = $0 { true } else { false } }.count } }
        var urls: [String] {
            events.withLock { list in
                list.compactMap { if case .workloadState(_, "ready", let detail) = $0 { detail } else { nil } }
                    .flatMap { $0.split(separator: " ").map(String.init).filter { $0.hasPrefix("http://") } }
            }
        }
    }

    @Test func aSyncedFileWhoseEventWasLostIsLiveUpdatedAfterTheRescan() async throws {
        let dir = try TemporaryDirectory(prefix: "wbuild-overflow-lu")
        let project = "wbo-" + UUID().uuidString.prefix(8).lowercased()
        defer {
            DockerCLI.cleanUp(project: project)
            dir.remove()
        }
        try dir.write("wbuild.json", """
        { name: "\(project)", workloads: { web: {
            build: { context: "." },
            entrypoint: ["httpd", "-f", "-p", "8080", "-h", "/www"],
            ports: [{ name: "http", container: 8080, protocol: "http" }],
            readiness: { http: { path: "/", port: 8080 }, intervalMs: 100 },
            stopGraceMs: 500,
            liveUpdate: { sync: [{ from: "site", to: "/www" }], restart: "none" },
        } } }
        """)
        try dir.write("Dockerfile", "FROM wbuild-samples/busybox:1\nCOPY site /www\n")
        try dir.write("site/index.html", "first")
        let collected = Collected()
        let supervisor = ServeSupervisor(events: collected.sink)
        let engine = try Engine.load(projectFile: dir.url("wbuild.json"), events: collected.sink, serveSupervisor: supervisor,
                                     workloads: .run(readyTimeout: .seconds(60)))
        let session = try WatchSession(engine: engine, projectFile: dir.url("wbuild.json"), options: WatchLoopOptions(),
                                       events: collected.sink, supervisor: supervisor)
        defer { engine.runtime?.shutdown() }
        for source in engine.project.sources.values { source.trustsWatcher = true }
        await session.prepareLiveUpdates()
        let now = ContinuousClock.now
        // The first pass, as `watch` starts: the image is built and the workload comes up.
        await session.handle(ChangeBatch(paths: [], rescanNeeded: [""], firstEventAt: now, settledAt: now))
        #expect(await eventually(within: .seconds(90)) { collected.built("workload:web") == 1 })
        let url = try #require(collected.urls.last)
        #expect(await httpGet(url)?.body.contains("first") == true)

        // An edit whose event the kernel dropped, then the overflow that says events were lost.
        try dir.write("site/index.html", "second")
        await session.handle(ChangeBatch(paths: [], rescanNeeded: [""], firstEventAt: now, settledAt: now))
        #expect(await eventually(within: .seconds(30)) { collected.liveUpdates == 1 })
        #expect(await eventually(within: .seconds(30)) { await httpGet(url)?.body.contains("second") == true })
        #expect(collected.built("image:web") == 1, "the overflow rebuilt the image instead of syncing the file")
    }
}
