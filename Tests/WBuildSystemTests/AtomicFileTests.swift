import Testing
import Foundation
@testable import WBuildSystem
import WBuildTestSupport

@Suite struct AtomicFileTests {
    @Test func writeThenReadRoundTrips() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.url("state.json")
        try AtomicFile.write(Array("{\"a\":1}".utf8), to: path)
        #expect(try AtomicFile.read(path) == Array("{\"a\":1}".utf8))
        try AtomicFile.write(Array("x".utf8), to: path)
        #expect(try AtomicFile.read(path) == Array("x".utf8))
        // No temporary files are left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["state.json"])
    }

    @Test func readingAMissingFileIsNil() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        #expect(try AtomicFile.read(dir.url("nope")) == nil)
    }

    @Test func writeIntoMissingDirectoryNamesThePath() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let target = dir.url("missing/state.json")
        do {
            try AtomicFile.write([1], to: target)
            Issue.record("expected a failure")
        } catch {
            #expect(error.errno == .noSuchFile)
            #expect(error.description.contains("missing/state.json"))
        }
    }

    @Test func makeDirectoriesCreatesParents() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try AtomicFile.makeDirectories(dir.url("a/b/c"))
        try AtomicFile.makeDirectories(dir.url("a/b/c"))
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: dir.url("a/b/c"), isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    @Test("a written file is private to its owner (0600), also when it replaces a world-readable one")
    func writtenFilesArePrivate() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write("state.json", "old")
        #expect(chmod(path, 0o644) == 0)
        try AtomicFile.write(Array("new".utf8), to: path)
        #expect(FileModes.mode(path) == 0o600)
    }

    @Test("directories it creates are private to their owner (0700)")
    func createdDirectoriesArePrivate() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try AtomicFile.makeDirectories(dir.url(".wbuild/cache"))
        #expect(FileModes.mode(dir.url(".wbuild")) == 0o700)
        #expect(FileModes.mode(dir.url(".wbuild/cache")) == 0o700)
    }
}
