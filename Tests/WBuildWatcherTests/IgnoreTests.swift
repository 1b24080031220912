import Foundation
import Testing
import WBuildWatcher

/// What the ignore closure rules out is never reported, and pruned directories are never
/// watched at all (they cost no inotify watch).
@Suite struct IgnoreTests {
    @Test func ignoredFilesAndDirectoriesAreNeverReported() async throws {
        let tree = try await WatchedTree.start(
            prepare: { try $0.write("node_modules/pkg/index.js", "old") },
            configure: { $0.isIgnored = editorTempIgnore(directories: ["node_modules"], suffixes: [".log"]) })
        defer { tree.stop() }

        try tree.write("node_modules/pkg/index.js", "new")
        try tree.makeDirectories("node_modules/pkg/created")
        try tree.write("node_modules/pkg/created/x.js")
        try tree.write("app.log")
        try tree.makeDirectories("src/node_modules")
        try tree.write("src/node_modules/y.js")
        try tree.write("src/main.swift")

        #expect(await tree.collector.waitForPaths(["src", "src/main.swift"]))
        #expect(try await tree.flush())
        #expect(tree.collector.allPaths == ["src", "src/main.swift", "sentinel"])
    }

    @Test func prunedDirectoriesHoldNoInotifyWatch() async throws {
        let tree = try await WatchedTree.start(
            prepare: { directory in
                try directory.write("node_modules/pkg/index.js", "x")
                try directory.write("src/main.swift", "x")
            },
            configure: { $0.isIgnored = editorTempIgnore(directories: ["node_modules"]) })
        defer { tree.stop() }

        let watched = try InotifyFdInfo.watchedInodes(of: tree.watcher)
        #expect(watched.contains(try InotifyFdInfo.inode(of: tree.path("src"))))
        #expect(watched.contains(try InotifyFdInfo.inode(of: tree.root)))
        #expect(!watched.contains(try InotifyFdInfo.inode(of: tree.path("node_modules"))))
        #expect(!watched.contains(try InotifyFdInfo.inode(of: tree.path("node_modules/pkg"))))
        #expect(watched.count == 2)
    }

    @Test func renamingBetweenIgnoredAndWatchedNamesFollowsTheRules() async throws {
        let tree = try await WatchedTree.start(
            prepare: { directory in
                try directory.write("build/out/a.o", "a")
                try directory.write("src/lib/b.c", "b")
            },
            configure: { $0.isIgnored = editorTempIgnore(directories: ["build"]) })
        defer { tree.stop() }

        // An ignored directory renamed to a watched name: everything in it appears.
        try tree.rename("build", "restored")
        #expect(await tree.collector.waitForPaths(["restored", "restored/out", "restored/out/a.o"]))
        try tree.write("restored/out/c.o")
        #expect(await tree.collector.waitForPaths(["restored/out/c.o"]))

        // A watched directory renamed to an ignored name: it is reported as gone, then silent.
        try tree.rename("src", "build")
        #expect(await tree.collector.waitForPaths(["src"]))
        #expect(await tree.collector.waitForRescan("src"))
        try tree.write("build/lib/d.c")
        #expect(try await tree.flush())
        #expect(!tree.collector.allPaths.contains { $0.hasPrefix("build") })
        #expect(!(try InotifyFdInfo.watchedInodes(of: tree.watcher)).contains(try InotifyFdInfo.inode(of: tree.path("build/lib"))))
    }
}
