import Foundation
import Testing
import WBuildCore
import WBuildDocker
import WBuildSpec
import WBuildTestSupport
@testable import WBuildWorkloads

@Suite("SyncLedger")
struct SyncLedgerTests {
    @Test("records digests and tombstones, persists them, and starts empty after reset")
    func recordsPersistsAndResets() async throws {
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        let layout = ProjectLayout(root: project.directory.path)
        try project.directory.write("app/a.txt", "a")
        let ledger = try await SyncLedger.load(workload: "api", layout: layout)
        #expect(ledger.isEmpty)
        try await ledger.record(try project.changes([ChangedFile(path: "app/a.txt", exists: true),
                                                     ChangedFile(path: "app/gone", exists: false)], rules: project.rules()))
        #expect(!ledger.isEmpty)

        let reloaded = try await SyncLedger.load(workload: "api", layout: layout)
        #expect(reloaded.entries == [
            SyncLedgerEntry(projectPath: "app", containerPath: "/srv/app", digest: nil, kind: .directory, levelsBelowRule: 0),
            SyncLedgerEntry(projectPath: "app/a.txt", containerPath: "/srv/app/a.txt", digest: SHA256Hex.of("a"), levelsBelowRule: 1),
            SyncLedgerEntry(projectPath: "app/gone", containerPath: "/srv/app/gone", digest: nil, levelsBelowRule: 1),
        ])
        try await reloaded.reset()
        #expect(reloaded.isEmpty)
        #expect(try await SyncLedger.load(workload: "api", layout: layout).isEmpty)
    }

    @Test("deleting a directory replaces what was synced beneath it; a file synced again clears its tombstone")
    func tombstonesReplaceEntriesBeneath() async throws {
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        try project.directory.write("app/lib/x.js", "x")
        let ledger = try await SyncLedger.load(workload: "web", layout: ProjectLayout(root: project.directory.path))
        let rules = project.rules()
        try await ledger.record(try project.changes([ChangedFile(path: "app/lib/x.js"), ChangedFile(path: "app/y.js")],
                                                    rules: rules))
        try project.remove("app/lib")
        try project.directory.write("app/y.js", "y")
        try await ledger.record(try project.changes([ChangedFile(path: "app/lib"), ChangedFile(path: "app/y.js")],
                                                    rules: rules))
        #expect(ledger.entries.map(\.containerPath) == ["/srv/app", "/srv/app/lib", "/srv/app/y.js"])
        #expect(ledger.entries.map(\.effectiveKind) == [.directory, .removed, .file])
        let replay = ledger.replayPlan(restart: .process)
        #expect(replay.paths.map(\.containerPath) == ["/srv/app", "/srv/app/lib", "/srv/app/y.js"])
        #expect(replay.paths.map(\.hostPath) == ["/app", "/app/lib", "/app/y.js"].map { project.directory.path + $0 })
        #expect(replay.restart == .process)
    }

    @Test("a replaced container gets the ledger replayed: synced files back, deleted ones gone")
    func replaysIntoAReplacedContainer() async throws {
        let client = try DockerClient()
        let image = try await LiveUpdateTestEngine.scratchImage(client)
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        let ledger = try await SyncLedger.load(workload: "api", layout: ProjectLayout(root: project.directory.path))
        let executor = LiveUpdateExecutor(client: client)
        try project.directory.write("app/page.html", "synced")
        // The image ships /busybox; the live update deletes a file the image has.
        let rules = LiveUpdateSpec(sync: [SyncRule(from: "app", to: "/srv/app"), SyncRule(from: "tools", to: "/opt/tools")],
                                   restart: .process)
        let target = LiveUpdateTarget(projectRoot: project.directory.path)
        let planner = try LiveUpdatePlanner(rules: rules, target: target)
        guard case .apply(let plan) = planner.plan(changedFiles: [ChangedFile(path: "app/page.html", exists: true),
                                                                  ChangedFile(path: "tools/old-tool", exists: false)],
                                                   containerRunning: true) else {
            Issue.record("expected a plan")
            return
        }
        let command = ["/busybox", "sleep", "3600"]
        try await LiveUpdateTestEngine.withContainer(client, image: image, command: command, supervised: true) { first in
            _ = try await client.exec(first, command: ["/busybox", "mkdir", "-p", "/opt/tools"])
            _ = try await client.exec(first, command: ["/busybox", "touch", "/opt/tools/old-tool"])
            _ = try await executor.apply(plan, to: [LiveUpdateReplica(containerID: first, supervised: true)], recordingIn: ledger)
            #expect(!ledger.isEmpty)
        }
        try await LiveUpdateTestEngine.withContainer(client, image: image, command: command,
                                                     supervised: true) { replacement in
            _ = try await client.exec(replacement, command: ["/busybox", "mkdir", "-p", "/opt/tools"])
            _ = try await client.exec(replacement, command: ["/busybox", "touch", "/opt/tools/old-tool"])
            #expect(try await LiveUpdateTestEngine.exists("/srv/app/page.html", in: replacement, client: client, busybox: "/busybox") == false)
            let timeline = try await executor.replay(ledger, to: [LiveUpdateReplica(containerID: replacement, supervised: true)],
                                                     restart: .process)
            #expect(timeline.files == 3)  // /srv/app (made on the way to the page), the page, the tool's tombstone
            #expect(try await LiveUpdateTestEngine.read("/srv/app/page.html", in: replacement, client: client,
                                                        busybox: "/busybox") == "synced")
            #expect(try await LiveUpdateTestEngine.exists("/opt/tools/old-tool", in: replacement, client: client, busybox: "/busybox") == false)
        }
    }

    @Test("a container restarted by the engine gets the ledger replayed before it is ready")
    func replaysAfterAnEngineRestart() async throws {
        let client = try DockerClient()
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        let ledger = try await SyncLedger.load(workload: "api", layout: ProjectLayout(root: project.directory.path))
        try project.directory.write("app/page.html", "current")
        try await ledger.record(try project.changes([ChangedFile(path: "app/page.html")], rules: project.rules()))
        // The app resets its directory when it boots (as on a tmpfs): an engine restart loses what was synced.
        let command = ["sh", "-c", "rm -rf /srv/app; trap 'exit 0' TERM; sleep 3600 & wait"]
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage, command: command,
                                                     supervised: true) { id in
            try await client.restartContainer(id, timeout: 10)
            try await LiveUpdateTestEngine.waitUntilRunning(id, client: client, supervised: true)
            #expect(try await LiveUpdateTestEngine.exists("/srv/app/page.html", in: id, client: client) == false)
            let timeline = try await LiveUpdateExecutor(client: client).replay(
                ledger, to: [LiveUpdateReplica(containerID: id, supervised: true)], restart: .none,
                readiness: { container in
                    let page = try await LiveUpdateTestEngine.read("/srv/app/page.html", in: container, client: client)
                    guard page == "current" else { throw PollTimeout(what: "the replayed page") }
                })
            #expect(timeline.readyMs != nil)
            #expect(try await LiveUpdateTestEngine.read("/srv/app/page.html", in: id, client: client) == "current")
        }
    }
}

/// SHA-256 hex of a string, as the ledger records it.
enum SHA256Hex {
    static func of(_ text: String) -> String {
        var hasher = WBuildCore.SHA256()
        hasher.update(text)
        return hasher.finalize().hexString
    }
}
