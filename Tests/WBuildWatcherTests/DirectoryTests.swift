import Foundation
import Testing
import WBuildTestSupport
import WBuildWatcher

/// Directories appearing, disappearing and moving keep the watch table right: files in
/// them are reported under their current path.
@Suite struct DirectoryTests {
    @Test func newNestedDirectoriesReportFilesWrittenImmediately() async throws {
        let tree = try await WatchedTree.start()
        defer { tree.stop() }

        // `mkdir -p a/b/c && echo x > a/b/c/f`, many times over: the file usually lands
        // before the watch on its directory does, so only the scan of new directories sees it.
        var expected: Set<String> = []
        for index in 0..<20 {
            try tree.makeDirectories("d\(index)/b/c")
            try tree.write("d\(index)/b/c/f")
            expected.formUnion(["d\(index)", "d\(index)/b", "d\(index)/b/c", "d\(index)/b/c/f"])
        }

        #expect(await tree.collector.waitForPaths(expected))

        // And the new directories are watched from now on.
        try tree.write("d7/b/c/later")
        #expect(await tree.collector.waitForPaths(["d7/b/c/later"]))
    }

    @Test func removingASubtreeReportsEverythingInIt() async throws {
        let tree = try await WatchedTree.start { directory in
            try directory.write("sub/a.txt", "a")
            try directory.write("sub/deeper/b.txt", "b")
            try directory.write("keep.txt", "k")
        }
        defer { tree.stop() }

        try tree.remove("sub")  // rm -rf sub

        #expect(await tree.collector.waitForPaths(["sub", "sub/a.txt", "sub/deeper", "sub/deeper/b.txt"]))
        #expect(!tree.collector.allPaths.contains("keep.txt"))
    }

    @Test func renamedDirectoryReportsBothEndsAndWritesUnderTheNewName() async throws {
        let tree = try await WatchedTree.start { try $0.write("old/inner/file.txt", "x") }
        defer { tree.stop() }

        try tree.rename("old", "new")
        #expect(await tree.collector.waitForPaths(["old", "new", "new/inner/file.txt", "old/inner/file.txt"]))

        try tree.write("new/inner/written-after.txt")
        #expect(await tree.collector.waitForPaths(["new/inner/written-after.txt"]))
        #expect(!tree.collector.allPaths.contains("old/inner/written-after.txt"))
    }

    @Test func movingADirectoryInReportsAndWatchesItsContents() async throws {
        let outside = try WatchedTreeOutside()
        defer { outside.remove() }
        try outside.directory.write("incoming/x/f.txt", "f")
        let tree = try await WatchedTree.start()
        defer { tree.stop() }

        #expect(rename(outside.directory.url("incoming"), tree.path("incoming")) == 0)
        #expect(await tree.collector.waitForPaths(["incoming", "incoming/x", "incoming/x/f.txt"]))

        try tree.write("incoming/x/g.txt")
        #expect(await tree.collector.waitForPaths(["incoming/x/g.txt"]))
    }

    @Test func movingADirectoryOutReportsItAndStopsWatchingIt() async throws {
        let outside = try WatchedTreeOutside()
        defer { outside.remove() }
        let tree = try await WatchedTree.start { try $0.write("leaving/inner/f.txt", "f") }
        defer { tree.stop() }

        #expect(rename(tree.path("leaving"), outside.directory.url("leaving")) == 0)
        #expect(await tree.collector.waitForPaths(["leaving"]))
        // Its files left without events of their own: the consumer is told to re-scan there.
        #expect(await tree.collector.waitForRescan("leaving"))

        // Writes in the moved-away directory are not ours any more.
        try outside.directory.write("leaving/inner/after.txt", "a")
        #expect(try await tree.flush())
        #expect(!tree.collector.allPaths.contains { $0.hasPrefix("leaving/") })
    }

    @Test func movingAFileOutAndInReportsBothAsChanges() async throws {
        let outside = try WatchedTreeOutside()
        defer { outside.remove() }
        try outside.directory.write("arriving.txt", "a")
        let tree = try await WatchedTree.start { try $0.write("departing.txt", "d") }
        defer { tree.stop() }

        #expect(rename(tree.path("departing.txt"), outside.directory.url("departing.txt")) == 0)
        #expect(rename(outside.directory.url("arriving.txt"), tree.path("arriving.txt")) == 0)

        #expect(await tree.collector.waitForPaths(["departing.txt", "arriving.txt"]))
    }
}

/// A second temp directory outside the watched tree, for moves in and out.
struct WatchedTreeOutside {
    let directory: TemporaryDirectory
    init() throws { directory = try TemporaryDirectory(prefix: "wbuild-watcher-outside") }
    func remove() { directory.remove() }
}
