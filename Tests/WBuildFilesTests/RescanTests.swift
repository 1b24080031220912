import Foundation
import Testing
import WBuildTestSupport
@testable import WBuildFiles

@Suite("Incremental rescan")
struct RescanTests {
    /// Builds a tree, scans it, applies `change`, then checks that rescanning `paths`
    /// gives exactly what a full scan gives.
    private func check(paths: [String], ignore: String = "", includes: [String] = [],
                       setUp: (TemporaryDirectory) throws -> Void,
                       change: (TemporaryDirectory) throws -> Void,
                       expect expected: TreeChanges) throws -> ScanStatistics {
        let directory = try TemporaryDirectory(prefix: "wbuild-rescan")
        defer { directory.remove() }
        try setUp(directory)
        let scanner = try ScanFixtures.scanner(directory, includes: includes, ignore: ignore)
        var cache = StatCache()
        let before = try scanner.scan(cache: &cache).snapshot
        try change(directory)
        let incremental = try scanner.rescan(before, changedPaths: paths, cache: &cache)
        var freshCache = StatCache()
        let full = try scanner.scan(cache: &freshCache).snapshot
        #expect(incremental.snapshot == full)
        #expect(incremental.snapshot.diff(from: before) == expected)
        #expect(cache.paths == freshCache.paths)
        return incremental.statistics
    }

    private func standardTree(_ directory: TemporaryDirectory) throws {
        for index in 0..<30 { try directory.write("big/f\(index).txt", "big \(index)") }
        try directory.write("src/main.js", "main")
        try directory.write("src/lib/util.js", "util")
        try directory.write("src-extra.txt", "sibling that sorts between src/ entries")
        try directory.write("README.md", "readme")
    }

    @Test func aModifiedFileIsTheOnlyOneExamined() throws {
        let statistics = try check(paths: ["src/main.js"], setUp: standardTree,
                                   change: { try $0.write("src/main.js", "main v2") },
                                   expect: TreeChanges(modified: ["src/main.js"]))
        #expect(statistics.filesExamined == 1)
        #expect(statistics.filesHashed == 1)
        #expect(statistics.directoriesRead == 0)
    }

    @Test func addedAndDeletedFiles() throws {
        _ = try check(paths: ["src/new.js", "README.md"], setUp: standardTree, change: { directory in
            try directory.write("src/new.js", "new")
            try FileManager.default.removeItem(atPath: directory.url("README.md"))
        }, expect: TreeChanges(added: ["src/new.js"], removed: ["README.md"]))
    }

    @Test func aDeletedDirectoryTakesItsFilesAlong() throws {
        _ = try check(paths: ["src/lib"], setUp: standardTree, change: { directory in
            try FileManager.default.removeItem(atPath: directory.url("src/lib"))
        }, expect: TreeChanges(removed: ["src/lib/util.js"]))
    }

    @Test func aNewDirectoryIsWalkedWhole() throws {
        let statistics = try check(paths: ["src/components"], setUp: standardTree, change: { directory in
            try directory.write("src/components/a.js", "a")
            try directory.write("src/components/deep/b.js", "b")
        }, expect: TreeChanges(added: ["src/components/a.js", "src/components/deep/b.js"]))
        #expect(statistics.directoriesRead == 2)
    }

    @Test func aDirectoryReplacedByAFile() throws {
        _ = try check(paths: ["src/lib"], setUp: standardTree, change: { directory in
            try FileManager.default.removeItem(atPath: directory.url("src/lib"))
            try directory.write("src/lib", "now a file")
        }, expect: TreeChanges(added: ["src/lib"], removed: ["src/lib/util.js"]))
    }

    @Test func ignoredPathsStayOut() throws {
        _ = try check(paths: ["node_modules/x.js", "src/.main.js.swp", "debug.log"], ignore: "node_modules\n*.log",
                      setUp: standardTree, change: { directory in
            try directory.write("node_modules/x.js", "dep")
            try directory.write("src/.main.js.swp", "swap")
            try directory.write("debug.log", "log")
        }, expect: TreeChanges())
    }

    @Test func nestedChangedPathsAreCoveredByTheirAncestor() throws {
        #expect(TreeScanner.outermostPaths(["src/lib/util.js", "src", "./README.md", "src-extra.txt"])
            == ["README.md", "src", "src-extra.txt"])
        #expect(TreeScanner.outermostPaths(["a", "."]) == [""])
    }

    @Test func absolutePathsUnderTheRootAreAccepted() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-rescan")
        defer { directory.remove() }
        try standardTree(directory)
        let scanner = try ScanFixtures.scanner(directory)
        var cache = StatCache()
        let before = try scanner.scan(cache: &cache).snapshot
        try directory.write("src/main.js", "main v2")
        let after = try scanner.rescan(before, changedPaths: [directory.url("src/main.js")], cache: &cache)
        #expect(after.statistics.filesExamined == 1)
        #expect(after.snapshot.diff(from: before) == TreeChanges(modified: ["src/main.js"]))
    }

    @Test func aBurstAsBigAsTheTreeBecomesOneWalk() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-rescan")
        defer { directory.remove() }
        for index in 0..<300 { try directory.write("d\(index % 4)/f\(index)", "v1 \(index)") }
        let scanner = try ScanFixtures.scanner(directory)
        var cache = StatCache()
        let before = try scanner.scan(cache: &cache).snapshot
        // A different size: a same-size rewrite within one timestamp tick is what the racy
        // window (off in these tests) is for.
        for index in 0..<300 { try directory.write("d\(index % 4)/f\(index)", "version 2 \(index)") }
        let paths = (0..<300).map { "d\($0 % 4)/f\($0)" }
        let after = try scanner.rescan(before, changedPaths: paths, cache: &cache)
        #expect(after.statistics.directoriesRead == 5)
        #expect(after.snapshot.diff(from: before).modified.count == 300)
    }

    @Test func theRootAsAChangedPathMeansAFullScan() throws {
        _ = try check(paths: ["."], setUp: standardTree, change: { directory in
            try directory.write("big/f3.txt", "changed")
        }, expect: TreeChanges(modified: ["big/f3.txt"]))
    }

    @Test func runsOffThePoolAndHandsTheCacheBack() async throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-rescan")
        defer { directory.remove() }
        try standardTree(directory)
        let scanner = try ScanFixtures.scanner(directory)
        var cache = StatCache()
        let first = try await scanner.scanInBackground(cache: &cache)
        #expect(cache.count == first.snapshot.entries.count)
        try directory.write("src/main.js", "main v3")
        let second = try await scanner.rescanInBackground(first.snapshot, changedPaths: ["src/main.js"], cache: &cache)
        #expect(second.snapshot.diff(from: first.snapshot) == TreeChanges(modified: ["src/main.js"]))
        let warm = try await scanner.scanInBackground(cache: &cache)
        #expect(warm.statistics.filesHashed == 0)
    }
}

@Suite("Incremental rescan against full scans")
struct RescanPropertyTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomEditsGiveWhatAFullScanGives(seed: UInt64) throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-rescan-prop")
        defer { directory.remove() }
        var random = SeededGenerator(seed: seed)
        let names = ["a", "b", "a-b", "a.b", "c"]
        func randomPath(depth: Int) -> String {
            (0..<depth).map { _ in names.randomElement(using: &random) ?? "a" }.joined(separator: "/")
        }
        // The real racy window: files rewritten within one timestamp tick must not be trusted.
        let scanner = try ScanFixtures.scanner(directory, ignore: "**/c\n!a/c", options: TreeScanner.Options())
        var cache = StatCache()
        var snapshot = try scanner.scan(cache: &cache).snapshot
        let manager = FileManager.default
        for round in 0..<25 {
            var touched: [String] = []
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let path = randomPath(depth: Int.random(in: 1...3, using: &random))
                let full = directory.url(path)
                var isDirectory: ObjCBool = false
                let exists = manager.fileExists(atPath: full, isDirectory: &isDirectory)
                switch Int.random(in: 0..<5, using: &random) {
                case 0, 1:
                    // Write a file (replacing a directory if one is there); parents that are files are skipped.
                    if exists && isDirectory.boolValue { try manager.removeItem(atPath: full) }
                    if (try? directory.write(path, "round \(round) \(path)")) == nil { continue }
                case 2:
                    if exists { try manager.removeItem(atPath: full) }
                case 3:
                    if exists && !isDirectory.boolValue { try manager.removeItem(atPath: full) }
                    if (try? directory.write(path + "/inner/file", "nested \(round)")) == nil { continue }
                default:
                    if exists && !isDirectory.boolValue { ScanFixtures.chmod(path, round % 2 == 0 ? 0o755 : 0o644, in: directory) }
                }
                touched.append(path)
            }
            let incremental = try scanner.rescan(snapshot, changedPaths: touched, cache: &cache)
            let full = try scanner.scan()
            #expect(incremental.snapshot == full.snapshot, "seed \(seed) round \(round) touched \(touched)")
            #expect(incremental.snapshot.treeHash == full.snapshot.treeHash, "seed \(seed) round \(round) touched \(touched)")
            #expect(incremental.snapshot.treeHash == TreeSnapshot(entries: incremental.snapshot.entries).treeHash)
            snapshot = incremental.snapshot
        }
    }
}
