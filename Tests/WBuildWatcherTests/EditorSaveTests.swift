import Foundation
import Testing
import WBuildWatcher

/// Every way editors and tools save a file ends up as the real file in `paths`, and their
/// temp files (ignored by the editor rules) never show up.
@Suite struct EditorSaveTests {
    @Test func plainWriteReportsExactlyTheFile() async throws {
        let tree = try await WatchedTree.start { try $0.write("existing.txt", "old") }
        defer { tree.stop() }

        try tree.write("existing.txt", "new")

        #expect(await tree.collector.waitForPaths(["existing.txt"]))
        #expect(tree.collector.allPaths == ["existing.txt"])
    }

    @Test func atomicRenameSaveReportsTheTargetNotTheIgnoredTemp() async throws {
        let tree = try await WatchedTree.start { try $0.write("main.swift", "v1") }
        defer { tree.stop() }

        try tree.write("main.swift~", "v2")
        #expect(rename(tree.path("main.swift~"), tree.path("main.swift")) == 0)

        #expect(await tree.collector.waitForPaths(["main.swift"]))
        #expect(try await tree.flush())
        #expect(tree.collector.allPaths == ["main.swift", "sentinel"])
    }

    @Test func vimBackupDanceReportsOnlyTheRealFile() async throws {
        let tree = try await WatchedTree.start { try $0.write("notes.md", "v1") }
        defer { tree.stop() }

        // What vim does with `backupcopy=auto`: probe the directory with "4913", rename the
        // original to the backup "notes.md~", write a new "notes.md", delete the backup.
        try tree.write("4913", "")
        try tree.remove("4913")
        try tree.rename("notes.md", "notes.md~")
        try tree.write("notes.md", "v2")
        try tree.remove("notes.md~")

        #expect(await tree.collector.waitForPaths(["notes.md"]))
        #expect(try await tree.flush())
        #expect(tree.collector.allPaths == ["notes.md", "sentinel"])
        #expect(try tree.directory.read("notes.md") == "v2")
    }

    @Test func sedInPlaceReportsOnlyTheEditedFile() async throws {
        let tree = try await WatchedTree.start { try $0.write("config.txt", "mode=debug\n") }
        defer { tree.stop() }

        let sed = Process()
        sed.executableURL = URL(fileURLWithPath: "/bin/sed")
        sed.arguments = ["-i", "s/debug/release/", tree.path("config.txt")]
        try sed.run()
        sed.waitUntilExit()
        #expect(sed.terminationStatus == 0)

        #expect(await tree.collector.waitForPaths(["config.txt"]))
        #expect(try await tree.flush())
        #expect(tree.collector.allPaths == ["config.txt", "sentinel"])
        #expect(try tree.directory.read("config.txt") == "mode=release\n")
    }

    @Test func jetBrainsSafeWriteReportsOnlyTheRealFile() async throws {
        let tree = try await WatchedTree.start { try $0.write("src/App.kt", "v1") }
        defer { tree.stop() }

        // IntelliJ's "safe write": new content to a temp, original aside, temp into place.
        try tree.write("src/App.kt___jb_tmp___", "v2")
        try tree.rename("src/App.kt", "src/App.kt___jb_old___")
        try tree.rename("src/App.kt___jb_tmp___", "src/App.kt")
        try tree.remove("src/App.kt___jb_old___")

        #expect(await tree.collector.waitForPaths(["src/App.kt"]))
        #expect(try await tree.flush())
        #expect(tree.collector.allPaths == ["src/App.kt", "sentinel"])
    }
}
