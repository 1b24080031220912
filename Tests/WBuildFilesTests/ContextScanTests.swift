import Foundation
import Testing
import WBuildTestSupport
@testable import WBuildFiles
#if canImport(Glibc)
import Glibc
#endif

/// Build contexts scan as the docker CLI sends them: only `.dockerignore` decides, directories
/// are entries with their modes, hard links are recognised.
@Suite("Build context scan")
struct ContextScanTests {
    private func scan(_ directory: TemporaryDirectory, ignore: String = "") throws -> TreeSnapshot {
        let set = SourceSet.buildContext(root: directory.path, ignoreRules: try IgnoreRules.parse(ignore))
        return try TreeScanner(sourceSet: set, options: ScanFixtures.options).scan().snapshot
    }

    @Test func editorTemporaryNamesAndGitAreSentButWbuildStateIsNot() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-ctx")
        defer { directory.remove() }
        for name in ["notes~", "#draft#", "4913", "sedAB12cd", "plan___jb_old___", ".git/HEAD", ".wbuild/state.json", "app.js"] {
            try directory.write(name, name)
        }
        #expect(try scan(directory).paths == ["#draft#", ".git/", ".git/HEAD", "4913", "app.js", "notes~",
                                              "plan___jb_old___", "sedAB12cd"])
        // For tasks and watching they stay ignored.
        let files = try ScanFixtures.scanner(directory).scan().snapshot
        #expect(files.paths == ["app.js"])
    }

    @Test func directoriesAreEntriesWithTheirModesIncludingEmptyAndEmptiedOnes() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-ctx")
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.url("empty"), withIntermediateDirectories: true)
        try directory.write("emptied/x.log", "log")
        try directory.write("private/secret", "s")
        ScanFixtures.chmod("private", 0o700, in: directory)
        ScanFixtures.chmod("private/secret", 0o600, in: directory)
        try directory.write("group.txt", "g")
        ScanFixtures.chmod("group.txt", 0o640, in: directory)
        let snapshot = try scan(directory, ignore: "*/*.log\n")
        #expect(snapshot.paths == ["emptied/", "empty/", "group.txt", "private/", "private/secret"])
        #expect(snapshot["private/"]?.mode == 0o700)
        #expect(snapshot["private/secret"]?.mode == 0o600)
        #expect(snapshot["group.txt"]?.mode == 0o640)
        #expect(snapshot["emptied/"]?.kind == .directory)

        let before = snapshot.treeHash
        ScanFixtures.chmod("group.txt", 0o644, in: directory)
        #expect(try scan(directory, ignore: "*/*.log\n").treeHash != before, "a mode change must change the context")
    }

    @Test func aDirectoryWalkedOnlyForAnExceptionIsNotAnEntry() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-ctx")
        defer { directory.remove() }
        try directory.write("docs/keep.md", "k")
        try directory.write("docs/other.md", "o")
        try directory.write("docs/sub/keep.md", "k")
        #expect(try scan(directory, ignore: "docs\n!docs/keep.md\n").paths == ["docs/keep.md"])
        // The CLI walks into an ignored directory only when an exception's text starts with it.
        #expect(try scan(directory, ignore: "docs\n!**/keep.md\n").paths == [])
    }

    @Test func hardLinksShareAnIdentityAndCopiesDoNot() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-ctx")
        defer { directory.remove() }
        try directory.write("a.txt", "same")
        try directory.write("copy.txt", "same")
        try FileManager.default.createDirectory(atPath: directory.url("b"), withIntermediateDirectories: true)
        try FileManager.default.linkItem(atPath: directory.url("a.txt"), toPath: directory.url("b/linked.txt"))
        let snapshot = try scan(directory)
        let a = try #require(snapshot["a.txt"]), linked = try #require(snapshot["b/linked.txt"])
        #expect(a.hardLinkID != 0 && a.hardLinkID == linked.hardLinkID)
        #expect(snapshot["copy.txt"]?.hardLinkID == 0)
    }

    @Test func aRescanOfAContextGivesWhatAFullScanGives() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-ctx")
        defer { directory.remove() }
        try directory.write("src/app.js", "app")
        try directory.write("docs/keep.md", "k")
        let set = SourceSet.buildContext(root: directory.path, ignoreRules: try IgnoreRules.parse("docs\n!docs/keep.md\n"))
        let scanner = TreeScanner(sourceSet: set, options: ScanFixtures.options)
        var cache = StatCache()
        let before = try scanner.scan(cache: &cache).snapshot
        try FileManager.default.createDirectory(atPath: directory.url("src/new/empty"), withIntermediateDirectories: true)
        ScanFixtures.chmod("src/app.js", 0o600, in: directory)
        try directory.write("docs/other.md", "ignored")
        try directory.write("notes~", "sent")
        let paths = ["src/new", "src/app.js", "docs/other.md", "notes~"]
        let incremental = try scanner.rescan(before, changedPaths: paths, cache: &cache).snapshot
        var fresh = StatCache()
        #expect(incremental == (try scanner.scan(cache: &fresh).snapshot))
        #expect(incremental.diff(from: before) == TreeChanges(added: ["notes~", "src/new/", "src/new/empty/"],
                                                              modified: ["src/app.js"]))
    }

    @Test func theCLIsMatchingOfChildrenUsesTheParentsResults() throws {
        // `a` is skipped for `a` once already ignored, so for `a/b` it is tried on `a/b` only.
        let rules = try IgnoreRules.parse("a\n!a/b\na\n")
        #expect(rules.contextVerdict(ofPath: "a/b", isDirectory: false) != .skipped)
        #expect(rules.isIgnored("a/b"))
    }
}
