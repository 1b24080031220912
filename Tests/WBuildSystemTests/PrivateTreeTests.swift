import Testing
import Foundation
@testable import WBuildSystem
import WBuildTestSupport

@Suite("Private state directories")
struct PrivateTreeTests {
    @Test("a world-readable state tree from an older version becomes 0700 directories and 0600 files")
    func repairsAnOldTree() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let state = try dir.write(".wbuild/state.json", "{}")
        let ledger = try dir.write(".wbuild/live-update/api.json", "{}")
        for (path, mode) in [(dir.url(".wbuild"), 0o755), (dir.url(".wbuild/live-update"), 0o775), (state, 0o644), (ledger, 0o664)] {
            #expect(chmod(path, mode_t(mode)) == 0)
        }
        try PrivateTree.restrict(dir.url(".wbuild"))
        #expect(FileModes.mode(dir.url(".wbuild")) == 0o700)
        #expect(FileModes.mode(dir.url(".wbuild/live-update")) == 0o700)
        #expect(FileModes.mode(state) == 0o600)
        #expect(FileModes.mode(ledger) == 0o600)
        #expect(FileModes.notPrivate(under: dir.url(".wbuild")).isEmpty)
    }

    @Test("a symlink inside is not followed: what it points to keeps its mode")
    func leavesSymlinkTargetsAlone() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let outside = try dir.write("shared/readme.txt", "hello")
        #expect(chmod(outside, 0o644) == 0)
        try FileManager.default.createDirectory(atPath: dir.url(".wbuild"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.url(".wbuild/link"), withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: dir.url(".wbuild/dir-link"), withDestinationPath: dir.url("shared"))
        try PrivateTree.restrict(dir.url(".wbuild"))
        #expect(FileModes.mode(outside) == 0o644)
        #expect(FileModes.mode(dir.url("shared")) != 0o700)
        #expect(FileModes.mode(dir.url(".wbuild")) == 0o700)
    }

    @Test("a missing directory is nothing to do")
    func missingIsFine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try PrivateTree.restrict(dir.url(".wbuild"))
        #expect(FileModes.mode(dir.url(".wbuild")) == nil)
    }
}
