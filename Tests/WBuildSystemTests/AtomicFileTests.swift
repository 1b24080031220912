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
}
