#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import WBuildSpec
import WBuildTestSupport
@testable import WBuildWorkloads

/// The defects users met, one by one, at the level of what the container ends up holding:
/// each batch is planned from the watcher's paths and read from the host when applied, then
/// applied to an in-memory container with the supervisor's rules.
@Suite("HostSyncReader: what a batch does is decided from the host when it is applied")
struct HostSyncReaderTests {
    /// `www/` synced to `/www`, with the container holding what the host held at the start.
    struct Fixture {
        let directory: TemporaryDirectory
        var container = InMemoryContainer()
        let planner: LiveUpdatePlanner

        init(files: [String: String], mounts: Set<String> = []) throws {
            directory = try TemporaryDirectory(prefix: "wbuild-host-sync")
            try FileManager.default.createDirectory(atPath: directory.url("www"), withIntermediateDirectories: true)
            for (path, contents) in files { _ = try directory.write(path, contents) }
            planner = try LiveUpdatePlanner(rules: LiveUpdateSpec(sync: [SyncRule(from: "www", to: "/www")]),
                                            target: LiveUpdateTarget(projectRoot: directory.path))
            for (path, node) in try HostTreeSnapshot.read(directory.url("www")) {
                container.nodes[path.isEmpty ? "/www" : "/www/" + path] = node
            }
            container.mounts = mounts
            for mount in mounts { container.nodes[mount] = .directory(mode: 0o755) }
        }

        /// Plans `paths` as one batch, reads the host now, applies the operations; returns them.
        @discardableResult
        mutating func sync(_ paths: [String]) throws -> [SyncOperation] {
            guard case .apply(let plan) = planner.plan(changedFiles: paths.map { ChangedFile(path: $0) }, containerRunning: true) else {
                throw ScriptError("expected a plan")
            }
            let operations = try HostSyncReader.changes(for: plan.paths).map(\.operation)
            try container.apply(operations)
            return operations
        }

        var differences: [String] {
            get throws {
                var synced = container.tree(at: "/www")
                for mount in container.mounts { for key in synced.keys where "/www/" + key == mount || ("/www/" + key).hasPrefix(mount + "/") { synced[key] = nil } }
                return HostTreeSnapshot.differences(host: try HostTreeSnapshot.read(directory.url("www")), container: synced)
            }
        }

        func absolute(_ path: String) -> String { directory.url(path) }
    }

    @Test("touch of a directory (its metadata) keeps the directory and what is in it")
    func touchOfADirectoryDeletesNothing() throws {
        var fixture = try Fixture(files: ["www/sub/page.html": "page"])
        defer { fixture.directory.remove() }
        var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, fixture.absolute("www/sub"), &times, 0) == 0)
        let operations = try fixture.sync(["www/sub"])
        // The directory's mode, and its parent's on the way: nothing removed.
        #expect(operations == [.makeDirectory(containerPath: "/www", mode: 0o755), .makeDirectory(containerPath: "/www/sub", mode: 0o755)])
        #expect(fixture.container.nodes["/www/sub/page.html"] == .file(bytes: Array("page".utf8), mode: 0o644))
        #expect(try fixture.differences.isEmpty)
    }

    @Test("chmod of the synced directory sets its mode and removes nothing")
    func chmodOfTheSyncRootDeletesNothing() throws {
        var fixture = try Fixture(files: ["www/index.html": "home", "www/a/b.css": "css"])
        defer { fixture.directory.remove() }
        #expect(chmod(fixture.absolute("www"), 0o750) == 0)
        let operations = try fixture.sync(["www"])
        #expect(operations == [.makeDirectory(containerPath: "/www", mode: 0o750)])
        #expect(fixture.container.nodes["/www/index.html"] != nil)
        #expect(try fixture.differences.isEmpty)
    }

    @Test("a mount inside the target survives chmod and rm -rf of the synced directory")
    func aMountInsideTheTargetSurvives() throws {
        var fixture = try Fixture(files: ["www/index.html": "home"], mounts: ["/www/uploads"])
        defer { fixture.directory.remove() }
        fixture.container.nodes["/www/uploads/photo.jpg"] = .file(bytes: [1, 2, 3], mode: 0o644)
        #expect(chmod(fixture.absolute("www"), 0o755) == 0)
        try fixture.sync(["www"])
        try FileManager.default.removeItem(atPath: fixture.absolute("www"))
        let operations = try fixture.sync(["www", "www/index.html"])
        #expect(operations == [.remove(containerPath: "/www")])
        #expect(fixture.container.nodes["/www/uploads/photo.jpg"] == .file(bytes: [1, 2, 3], mode: 0o644))
    }

    @Test("a new symlink arrives as a link, never followed, and nothing is written through it")
    func aNewSymlinkArrivesAsALink() throws {
        var fixture = try Fixture(files: ["www/real/file.txt": "real"])
        defer { fixture.directory.remove() }
        #expect(symlink("real", fixture.absolute("www/alias")) == 0)
        #expect(symlink("/etc/passwd", fixture.absolute("www/passwd")) == 0)
        // The watcher may also report a path through the link; it is never read or written.
        try fixture.sync(["www/alias", "www/passwd", "www/alias/file.txt"])
        #expect(fixture.container.nodes["/www/alias"] == .symlink(target: "real"))
        #expect(fixture.container.nodes["/www/passwd"] == .symlink(target: "/etc/passwd"))
        #expect(fixture.container.nodes["/www/alias/file.txt"] == nil)
        #expect(try fixture.differences.isEmpty)
    }

    @Test("an empty directory arrives, with its mode")
    func anEmptyDirectoryArrives() throws {
        var fixture = try Fixture(files: ["www/index.html": "home"])
        defer { fixture.directory.remove() }
        #expect(mkdir(fixture.absolute("www/cache"), 0o700) == 0)
        #expect(chmod(fixture.absolute("www/cache"), 0o700) == 0)
        try fixture.sync(["www/cache"])
        #expect(fixture.container.nodes["/www/cache"] == .directory(mode: 0o700))
    }

    @Test("a path the event called deleted but that is back is written; one called changed but gone is removed")
    func theHostDecidesNotTheEvent() throws {
        let fixture = try Fixture(files: ["www/kept.txt": "old", "www/gone.txt": "bye"])
        defer { fixture.directory.remove() }
        _ = try fixture.directory.write("www/kept.txt", "new")
        try FileManager.default.removeItem(atPath: fixture.absolute("www/gone.txt"))
        let plan = LiveUpdatePlan(paths: [
            SyncPath(projectPath: "www/kept.txt", hostPath: fixture.absolute("www/kept.txt"), containerPath: "/www/kept.txt"),
            SyncPath(projectPath: "www/gone.txt", hostPath: fixture.absolute("www/gone.txt"), containerPath: "/www/gone.txt"),
        ])
        let operations = try HostSyncReader.changes(for: plan.paths).map(\.operation)
        #expect(operations == [.remove(containerPath: "/www/gone.txt"),
                               .writeFile(containerPath: "/www/kept.txt", bytes: Array("new".utf8), mode: 0o644)])
    }

    @Test("the directories on the way to a new file are made with the host's modes, also when their events were missed")
    func parentsComeWithTheHostsModes() throws {
        var fixture = try Fixture(files: ["www/index.html": "home"])
        defer { fixture.directory.remove() }
        _ = try fixture.directory.write("www/new/deeper/file.txt", "x")
        #expect(chmod(fixture.absolute("www/new"), 0o711) == 0)
        try fixture.sync(["www/new/deeper/file.txt"])
        #expect(fixture.container.nodes["/www/new"] == .directory(mode: 0o711))
        #expect(try fixture.differences.isEmpty)
    }

    @Test("rm -rf of a directory and mkdir of it again, seen over two batches, leaves nothing stale")
    func removedAndRecreatedOverTwoBatches() throws {
        var fixture = try Fixture(files: ["www/d/old.txt": "old"])
        defer { fixture.directory.remove() }
        try FileManager.default.removeItem(atPath: fixture.absolute("www/d"))
        // The first batch holds the child's deletion; the directory's own events come later.
        try fixture.sync(["www/d/old.txt"])
        #expect(mkdir(fixture.absolute("www/d"), 0o755) == 0)
        try fixture.sync(["www/d"])
        #expect(try fixture.differences.isEmpty)
    }

    @Test("a directory that became a link, and a file that became a directory, end as the host has them")
    func pathsThatChangedType() throws {
        var fixture = try Fixture(files: ["www/dir/inner.txt": "inner", "www/file": "file"])
        defer { fixture.directory.remove() }
        try FileManager.default.removeItem(atPath: fixture.absolute("www/dir"))
        #expect(symlink("/tmp", fixture.absolute("www/dir")) == 0)
        try FileManager.default.removeItem(atPath: fixture.absolute("www/file"))
        _ = try fixture.directory.write("www/file/nested.txt", "nested")
        try fixture.sync(["www/dir", "www/dir/inner.txt", "www/file", "www/file/nested.txt"])
        #expect(fixture.container.nodes["/www/dir"] == .symlink(target: "/tmp"))
        #expect(try fixture.differences.isEmpty)
    }
}

@Suite("HostSyncReader with nested sync rules")
struct NestedRuleTests {
    @Test("rm -rf of the outer directory removes each rule's target once, and nothing above it")
    func removingTheOuterDirectory() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-nested-rules")
        defer { directory.remove() }
        _ = try directory.write("web/app.js", "app")
        _ = try directory.write("web/static/logo.svg", "logo")
        let planner = try LiveUpdatePlanner(rules: LiveUpdateSpec(sync: [SyncRule(from: "web", to: "/srv/app"),
                                                                        SyncRule(from: "web/static", to: "/www")]),
                                            target: LiveUpdateTarget(projectRoot: directory.path))
        try FileManager.default.removeItem(atPath: directory.url("web"))
        // The watcher reports the children first here, the directories in a later batch.
        guard case .apply(let plan) = planner.plan(changedFiles: [ChangedFile(path: "web/app.js"),
                                                                  ChangedFile(path: "web/static/logo.svg")],
                                                   containerRunning: true) else { throw ScriptError("expected a plan") }
        let operations = try HostSyncReader.changes(for: plan.paths).map(\.operation)
        #expect(operations == [.remove(containerPath: "/www"), .remove(containerPath: "/srv/app")])
    }
}

@Suite("LiveUpdatePlanner refuses a sync into the container's root")
struct PlannerRootTargetTests {
    @Test("to: \"/\" (however spelled) is refused before anything is planned")
    func theRootIsRefused() {
        for to in ["/", "//", "/./"] {
            #expect(throws: LiveUpdateError.self) {
                _ = try LiveUpdatePlanner(rules: LiveUpdateSpec(sync: [SyncRule(from: "www", to: to)]),
                                          target: LiveUpdateTarget(projectRoot: "/p"))
            }
        }
    }
}
