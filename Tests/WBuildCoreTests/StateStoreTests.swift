import Testing
import Foundation
@testable import WBuildCore
import WBuildSystem
import WBuildTestSupport

@Suite struct StateStoreTests {
    func savedStore(in dir: TemporaryDirectory) throws -> String {
        let path = dir.url(".wbuild/state.json")
        let store = StateStore(path: path)
        store.setRecord(NodeRecord(fingerprint: Fingerprint(hex: "ab"), inputHashes: [:], output: NodeOutput(hash: "h"),
                                   finishedAt: 1), for: NodeID(kind: "task", name: "a"))
        try store.save()
        return path
    }

    @Test func roundTrips() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try savedStore(in: dir)
        let (store, warning) = StateStore.load(path: path)
        #expect(warning == nil)
        #expect(store.record(NodeID(kind: "task", name: "a"))?.output.hash == "h")
    }

    @Test func truncatedFileIsDiscardedWithAWarning() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try savedStore(in: dir)
        let bytes = try #require(try AtomicFile.read(path))
        for cut in [0, 5, bytes.count / 2, bytes.count - 1] {
            try AtomicFile.write(Array(bytes.prefix(cut)), to: path)
            let (store, warning) = StateStore.load(path: path)
            #expect(store.record(NodeID(kind: "task", name: "a")) == nil, "cut at \(cut)")
            #expect(cut == 0 || warning?.contains("corrupt or truncated") == true, "cut at \(cut)")
        }
    }

    @Test func flippedByteIsDetected() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try savedStore(in: dir)
        var bytes = try #require(try AtomicFile.read(path))
        let index = try #require(bytes.lastIndex(of: UInt8(ascii: "h")))
        bytes[index] = UInt8(ascii: "x")
        try AtomicFile.write(bytes, to: path)
        let (store, warning) = StateStore.load(path: path)
        #expect(store.record(NodeID(kind: "task", name: "a")) == nil)
        #expect(warning != nil)
    }

    @Test("the state file is 0600 in a 0700 directory: failures and fingerprints are the owner's only")
    func savedStateIsPrivate() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try savedStore(in: dir)
        #expect(FileModes.mode(path) == 0o600)
        #expect(FileModes.mode(dir.url(".wbuild")) == 0o700)
    }
}
