import Testing
import WBuildTestSupport
@testable import WBuildFiles

@Suite("Snapshot persistence")
struct TreeSnapshotEncodingTests {
    private func scannedSnapshot() throws -> TreeSnapshot {
        let directory = try TemporaryDirectory(prefix: "wbuild-snapshot")
        defer { directory.remove() }
        try directory.write("api/src/main.js", "main")
        try directory.write("api/src/util.js", "util")
        try directory.write("api/run.sh", "#!/bin/sh")
        ScanFixtures.chmod("api/run.sh", 0o755, in: directory)
        try ScanFixtures.symlink("src/main.js", at: "api/entry.js", in: directory)
        try directory.write("web/é.txt", "accent")
        return try ScanFixtures.scanner(directory).scan().snapshot
    }

    @Test func roundTripsWithTheSameTreeHash() throws {
        let snapshot = try scannedSnapshot()
        let decoded = try #require(TreeSnapshot.decode(snapshot.encode()))
        #expect(decoded == snapshot)
        #expect(decoded.treeHash == snapshot.treeHash)
        #expect(decoded["api/entry.js"]?.kind == .symlink)
        #expect(decoded["api/run.sh"]?.isExecutable == true)
        #expect(TreeSnapshot.decode(TreeSnapshot.empty.encode()) == .empty)
    }

    @Test func damagedBytesAreRejected() throws {
        let bytes = try scannedSnapshot().encode()
        for length in 0..<bytes.count {
            #expect(TreeSnapshot.decode(Array(bytes[0..<length])) == nil, "truncated to \(length)")
        }
        for index in 0..<bytes.count {
            var corrupt = bytes
            corrupt[index] ^= 0x01
            #expect(TreeSnapshot.decode(corrupt) == nil, "flipped byte \(index)")
        }
        #expect(TreeSnapshot.decode(StatCache().encode()) == nil)
    }
}
