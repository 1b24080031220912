import Foundation
import Testing
import WBuildRender
import WBuildTestSupport
@testable import WBuildWorkloads

/// The output folder stays equal to the rendering without touching what did not change and
/// without removing anything wbuild did not write.
struct RenderedFolderTests {
    func rendering(_ files: [(String, String)]) -> Rendering {
        Rendering(target: .kubernetes, files: files.map { RenderedFile(path: $0.0, contents: $0.1) })
    }

    func modified(_ path: String) -> Date? {
        try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
    }

    @Test func writesChangedFilesOnlyAndRemovesWhatItWroteBefore() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let folder = RenderedFolder(path: dir.url("out"))
        _ = try dir.write("out/users-own.yaml", "mine\n")
        let first = try folder.write(rendering([("a.yaml", "a\n"), ("sub/b.yaml", "b\n")]))
        #expect(first.written == ["a.yaml", "sub/b.yaml"])
        let aTime = modified(dir.url("out/a.yaml"))
        Thread.sleep(forTimeInterval: 0.02)

        let second = try folder.write(rendering([("a.yaml", "a\n"), ("c.yaml", "c\n")]))
        #expect(second.unchanged == ["a.yaml"])
        #expect(second.written == ["c.yaml"])
        #expect(second.removed == ["sub/b.yaml"])
        #expect(modified(dir.url("out/a.yaml")) == aTime)
        #expect(!FileManager.default.fileExists(atPath: dir.url("out/sub")))  // emptied folders go too
        #expect(try dir.read("out/users-own.yaml") == "mine\n")
        #expect(folder.holds(rendering([("a.yaml", "a\n"), ("c.yaml", "c\n")])))
        let hash = RenderedFolder.hash(of: rendering([("a.yaml", "a\n"), ("c.yaml", "c\n")]))
        #expect(folder.holds(files: ["a.yaml", "c.yaml"], hash: hash))
        _ = try dir.write("out/c.yaml", "edited by hand\n")
        #expect(!folder.holds(files: ["a.yaml", "c.yaml"], hash: hash))
    }

    @Test func aPathLeavingTheFolderIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let folder = RenderedFolder(path: dir.url("out"))
        #expect(throws: (any Error).self) { try folder.write(rendering([("../escape.yaml", "x\n")])) }
        #expect(!FileManager.default.fileExists(atPath: dir.url("escape.yaml")))
    }
}
