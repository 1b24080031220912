import Foundation
import Testing
import WBuildCore
import WBuildTestSupport
@testable import WBuildFiles

@Suite("Tree scanning")
struct TreeScannerTests {
    @Test func scansFilesInPathOrderWithContentDigests() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-scan")
        defer { directory.remove() }
        try directory.write("b.txt", "bee")
        try directory.write("a/z.txt", "zed")
        try directory.write("a-b", "dash")
        try directory.write("a/b/c.txt", "sea")
        let result = try ScanFixtures.scanner(directory).scan()
        #expect(result.snapshot.paths == ["a-b", "a/b/c.txt", "a/z.txt", "b.txt"])
        #expect(result.snapshot["b.txt"]?.digest == FileDigest.of(Array("bee".utf8)))
        #expect(result.snapshot["b.txt"]?.digest.hexString == SHA256.hash(Array("bee".utf8)).hexString)
        #expect(result.snapshot["a/z.txt"]?.size == 3)
        #expect(result.problems.isEmpty)
    }

    @Test func ignoredAndDefaultIgnoredFilesAreLeftOutAndPrunedDirectoriesNotRead() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-scan")
        defer { directory.remove() }
        try directory.write("src/main.js", "main")
        try directory.write("src/.main.js.swp", "swap")
        try directory.write("src/main.js~", "backup")
        try directory.write(".git/HEAD", "ref")
        try directory.write("node_modules/a/index.js", "dep")
        try directory.write("node_modules/b/index.js", "dep")
        try directory.write("debug.log", "log")
        try directory.write("keep.log", "log")
        let scanner = try ScanFixtures.scanner(directory, ignore: "node_modules\n*.log\n!keep.log")
        let result = try scanner.scan()
        #expect(result.snapshot.paths == ["keep.log", "src/main.js"])
        // root and src only: .git and node_modules were never opened
        #expect(result.statistics.directoriesRead == 2)
    }

    @Test func includeGlobsSelectFilesAndDirectories() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-scan")
        defer { directory.remove() }
        try directory.write("web/src/app.js", "app")
        try directory.write("web/src/deep/util.js", "util")
        try directory.write("web/README.md", "readme")
        try directory.write("api/main.go", "go")
        try directory.write("api/cmd/tool.js", "tool")
        let scanner = try ScanFixtures.scanner(directory, includes: ["web/src", "**/*.go"])
        let result = try scanner.scan()
        #expect(result.snapshot.paths == ["api/main.go", "web/src/app.js", "web/src/deep/util.js"])
    }

    @Test func aWarmCacheMeansUnchangedFilesAreNotRead() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-scan")
        defer { directory.remove() }
        for index in 0..<20 { try directory.write("dir\(index % 3)/file\(index).txt", "content \(index)") }
        let scanner = try ScanFixtures.scanner(directory)
        var cache = StatCache()
        let cold = try scanner.scan(cache: &cache)
        #expect(cold.statistics.filesHashed == 20)
        #expect(cache.count == 20)
        let warm = try scanner.scan(cache: &cache)
        #expect(warm.statistics.filesHashed == 0)
        #expect(warm.statistics.cacheHits == 20)
        #expect(warm.snapshot == cold.snapshot)

        try directory.write("dir1/file1.txt", "changed content")
        let afterEdit = try scanner.scan(cache: &cache)
        #expect(afterEdit.statistics.filesHashed == 1)
        #expect(afterEdit.snapshot.diff(from: cold.snapshot) == TreeChanges(modified: ["dir1/file1.txt"]))
    }

    @Test func theCacheIsTrustedWhileTheFingerprintHoldsAndDistrustedWhenCtimeOrInodeChange() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-scan")
        defer { directory.remove() }
        try directory.write("data.bin", "original")
        let scanner = try ScanFixtures.scanner(directory)
        var cache = StatCache()
        let first = try scanner.scan(cache: &cache)
        let real = try #require(first.snapshot["data.bin"]).digest

        // Plant a different digest under the same fingerprint: a trusted cache reports it.
        let planted = FileDigest.of(Array("planted".utf8))
        var entry = try #require(cache["data.bin"])
        entry.digest = planted
        cache["data.bin"] = entry
        #expect(try scanner.scan(cache: &cache).snapshot["data.bin"]?.digest == planted)

        // chmod changes ctime only: the entry no longer vouches, the file is read again.
        cache["data.bin"] = entry
        try ScanFixtures.changeStatusTime("data.bin", in: directory)
        let afterChmod = try scanner.scan(cache: &cache)
        #expect(afterChmod.statistics.filesHashed == 1)
        #expect(afterChmod.snapshot["data.bin"]?.digest == real)

        // Same content and mtime, new inode (an editor's atomic save): read again.
        var replaced = try #require(cache["data.bin"])
        replaced.digest = planted
        cache["data.bin"] = replaced
        try directory.write("data.tmp", "original")
        ScanFixtures.setModificationTime("data.tmp", seconds: 1_700_000_000, in: directory)
        ScanFixtures.setModificationTime("data.bin", seconds: 1_700_000_000, in: directory)
        let rescanned = try scanner.scan(cache: &cache)
        replaced = try #require(cache["data.bin"])
        replaced.digest = planted
        cache["data.bin"] = replaced
        #expect(rename(directory.url("data.tmp"), directory.url("data.bin")) == 0)
        let afterRename = try scanner.scan(cache: &cache)
        #expect(rescanned.statistics.filesHashed == 2) // data.bin's mtime moved; data.tmp is new
        #expect(afterRename.statistics.filesHashed == 1)
        #expect(afterRename.snapshot["data.bin"]?.digest == real)
    }

    @Test func racilyCleanFilesAreHashedAgainNextTime() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-scan")
        defer { directory.remove() }
        try directory.write("fresh.txt", "just written")
        // Its mtime is after the scan starts (as when it is written during the scan), so a
        // later change could keep the same timestamp: the digest must not be cached.
        ScanFixtures.setModificationTime("fresh.txt", seconds: 4_000_000_000, in: directory)
        let scanner = try ScanFixtures.scanner(directory, options: TreeScanner.Options())
        var cache = StatCache()
        _ = try scanner.scan(cache: &cache)
        #expect(cache.isEmpty)
        let again = try scanner.scan(cache: &cache)
        #expect(again.statistics.filesHashed == 1)
        #expect(again.statistics.cacheHits == 0)
    }

    @Test func touchingWithoutChangingKeepsTheTreeHash() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-scan")
        defer { directory.remove() }
        try directory.write("a.txt", "same")
        try directory.write("b/c.txt", "also same")
        let scanner = try ScanFixtures.scanner(directory)
        var cache = StatCache()
        let before = try scanner.scan(cache: &cache)
        ScanFixtures.setModificationTime("a.txt", seconds: 1_800_000_000, in: directory)
        try directory.write("b/c.txt", "also same")
        ScanFixtures.setModificationTime("b/c.txt", seconds: 1_800_000_000, in: directory)
        let after = try scanner.scan(cache: &cache)
        #expect(after.statistics.filesHashed == 2)
        #expect(after.snapshot.treeHash == before.snapshot.treeHash)
        #expect(after.snapshot.diff(from: before.snapshot).isEmpty)
    }

    @Test func theExecutableBitIsPartOfTheTreeHash() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-scan")
        defer { directory.remove() }
        try directory.write("run.sh", "#!/bin/sh\n")
        ScanFixtures.chmod("run.sh", 0o644, in: directory)
        let scanner = try ScanFixtures.scanner(directory)
        let before = try scanner.scan()
        ScanFixtures.chmod("run.sh", 0o755, in: directory)
        let after = try scanner.scan()
        #expect(after.snapshot["run.sh"]?.isExecutable == true)
        #expect(after.snapshot.treeHash != before.snapshot.treeHash)
        #expect(after.snapshot.diff(from: before.snapshot) == TreeChanges(modified: ["run.sh"]))
    }

    @Test func symlinksAreRecordedByTargetAndNeverFollowed() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-scan")
        defer { directory.remove() }
        let outside = try TemporaryDirectory(prefix: "wbuild-scan-outside")
        defer { outside.remove() }
        try outside.write("secret/file.txt", "outside")
        try directory.write("real.txt", "real")
        try ScanFixtures.symlink("real.txt", at: "link.txt", in: directory)
        try ScanFixtures.symlink(outside.url("secret"), at: "linked-dir", in: directory)
        try ScanFixtures.symlink("loop", at: "loop", in: directory)
        try ScanFixtures.symlink("missing-target", at: "dangling", in: directory)
        try FileManager.default.createDirectory(atPath: directory.url("cycle"), withIntermediateDirectories: true)
        try ScanFixtures.symlink("..", at: "cycle/up", in: directory)
        let result = try ScanFixtures.scanner(directory).scan()
        #expect(result.snapshot.paths == ["cycle/up", "dangling", "link.txt", "linked-dir", "loop", "real.txt"])
        let link = try #require(result.snapshot["link.txt"])
        #expect(link.kind == .symlink)
        #expect(link.digest == FileDigest.of(Array("real.txt".utf8)))
        #expect(result.snapshot["linked-dir"]?.kind == .symlink)
        #expect(result.problems.isEmpty)

        // Retargeting a link changes the tree even though no file content changed.
        try FileManager.default.removeItem(atPath: directory.url("link.txt"))
        try ScanFixtures.symlink("dangling", at: "link.txt", in: directory)
        let after = try ScanFixtures.scanner(directory).scan()
        #expect(after.snapshot.diff(from: result.snapshot) == TreeChanges(modified: ["link.txt"]))
    }

    @Test func unreadableFilesAreReportedWithTheirPath() async throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-scan")
        defer {
            ScanFixtures.chmod("locked", 0o755, in: directory)
            directory.remove()
        }
        try directory.write("ok.txt", "fine")
        try directory.write("secret.txt", "hidden")
        try directory.write("locked/inner.txt", "hidden")
        ScanFixtures.chmod("secret.txt", 0o000, in: directory)
        ScanFixtures.chmod("locked", 0o000, in: directory)
        let scanner = try ScanFixtures.scanner(directory, options: .init(hashingThreads: 1))
        // As an unprivileged file-system user even when the tests run as root.
        let result = try await ScanFixtures.asUnprivilegedUser { try scanner.scan() }
        #expect(result.snapshot.paths == ["ok.txt"])
        #expect(Set(result.problems.map(\.relativePath)) == ["locked", "secret.txt"])
        #expect(result.problems.allSatisfy { $0.error.errno == .permissionDenied })
    }

    @Test func aNameThatIsNotUTF8IsReportedNotDropped() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-scan")
        defer { directory.remove() }
        try directory.write("sub/ok.txt", "fine")
        // "bad\xff" as raw bytes: no String can spell it.
        var rawName = Array((directory.url("sub") + "/bad").utf8CString.dropLast())
        rawName.append(CChar(bitPattern: 0xFF))
        rawName.append(0)
        let fd = open(rawName, O_CREAT | O_WRONLY, 0o644)
        #expect(fd >= 0)
        close(fd)
        let result = try ScanFixtures.scanner(directory).scan()
        #expect(result.snapshot.paths == ["sub/ok.txt"])
        #expect(result.problems.map(\.relativePath) == ["sub"])
        #expect(result.problems.first?.description.contains("UTF-8") == true)
    }

    @Test func aDockerContextHonoursItsDockerignore() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-scan")
        defer { directory.remove() }
        try directory.write(".dockerignore", "# build output\ndist\n*.md\n!README.md\n")
        try directory.write("Dockerfile", "FROM scratch")
        try directory.write("dist/app.js", "built")
        try directory.write("NOTES.md", "notes")
        try directory.write("README.md", "readme")
        let sourceSet = try SourceSet.dockerContext(root: directory.path)
        let result = try TreeScanner(sourceSet: sourceSet, options: ScanFixtures.options).scan()
        #expect(result.snapshot.paths == [".dockerignore", "Dockerfile", "README.md"])
    }

    @Test func changeSummariesNameTheFirstPaths() {
        let changes = TreeChanges(added: ["b.js"], modified: ["a.js", "d.js"], removed: ["c.js"])
        #expect(changes.summary(limit: 2) == "a.js, b.js and 2 more")
        #expect(changes.summary(limit: 10) == "a.js, b.js, c.js, d.js")
        #expect(TreeChanges().summary() == "")
    }

    @Test func aMissingRootIsATypedError() throws {
        let sourceSet = SourceSet(root: "/nonexistent/wbuild-\(UInt32.random(in: 0...UInt32.max))")
        #expect {
            _ = try TreeScanner(sourceSet: sourceSet).scan()
        } throws: { error in
            guard let error = error as? FilesError else { return false }
            return error.code == .scanRootUnavailable && error.path == sourceSet.root && error.cause?.errno == .noSuchFile
        }
    }

    @Test func cacheEntriesForDeletedFilesAreDropped() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-scan")
        defer { directory.remove() }
        try directory.write("a.txt", "a")
        try directory.write("b.txt", "b")
        let scanner = try ScanFixtures.scanner(directory)
        var cache = StatCache()
        let before = try scanner.scan(cache: &cache)
        try FileManager.default.removeItem(atPath: directory.url("b.txt"))
        try directory.write("c.txt", "c")
        let after = try scanner.scan(cache: &cache)
        #expect(cache.paths == ["a.txt", "c.txt"])
        #expect(after.snapshot.diff(from: before.snapshot) == TreeChanges(added: ["c.txt"], removed: ["b.txt"]))
    }

    @Test func manyFilesHashInParallelToTheSameResult() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-scan")
        defer { directory.remove() }
        for index in 0..<200 { try directory.write("d\(index % 7)/f\(index)", String(repeating: "x", count: index * 37)) }
        let serial = try ScanFixtures.scanner(directory, options: .init(hashingThreads: 1, walkingThreads: 1, readBufferSize: 4096)).scan()
        let parallel = try ScanFixtures.scanner(directory, options: .init(hashingThreads: 2)).scan()
        #expect(serial.snapshot == parallel.snapshot)
        #expect(parallel.snapshot.entries.count == 200)
        #expect(parallel.snapshot["d3/f199"]?.digest == FileDigest.of(Array(String(repeating: "x", count: 199 * 37).utf8)))
    }

    @Test func aWalkSplitAcrossTwoThreadsKeepsPathOrderAndCounts() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-scan")
        defer { directory.remove() }
        // One directory level with a single subdirectory, then a fan-out with files between
        // the subdirectories ("m.txt" sorts among them, "a-b" before "a/").
        for index in 0..<60 { try directory.write("top/d\(index % 9)/f\(index)", "content \(index)") }
        try directory.write("top/m.txt", "between")
        try directory.write("top/d1-x", "dash")
        try directory.write("top/d8/deep/z", "deep")
        try directory.write("root.txt", "root")
        let options = ScanFixtures.options
        var oneThread = options, twoThreads = options
        oneThread.walkingThreads = 1
        twoThreads.walkingThreads = 2
        let serial = try ScanFixtures.scanner(directory, options: oneThread).scan()
        var cache = StatCache()
        let split = try ScanFixtures.scanner(directory, options: twoThreads).scan(cache: &cache)
        #expect(split.snapshot == serial.snapshot)
        #expect(split.snapshot.paths == split.snapshot.paths.sorted { PathOrder.precedes($0, $1) })
        #expect(split.statistics == serial.statistics)
        #expect(split.snapshot.entries.count == 64)
        // The cache a split walk fills answers the next split walk in full.
        let warm = try ScanFixtures.scanner(directory, options: twoThreads).scan(cache: &cache)
        #expect(warm.statistics.cacheHits == 64)
        #expect(warm.statistics.filesHashed == 0)
    }
}
