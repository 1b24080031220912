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

    @Test("a failure recorded by an older version with a request's query is reprinted without it")
    func legacyQueriesAreScrubbed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let secret = "z" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let reason = "docker POST /v1.41/build?t=wbuild%2Fp-api%3A1&buildargs=%7B%22TOKEN%22%3A%22\(secret)%22%7D&rm=1: "
            + "dockerfile parse error line 2: unknown instruction: NOTACMD (HTTP 400)"
        // Written the way an older version wrote it: checksummed, so it is trusted and reloaded.
        var contents = StateStore.Contents()
        contents.lastRuns["image:api"] = LastRun(status: .failed, reason: reason, milliseconds: 5, finishedAt: 1)
        let path = dir.url("state.json")
        try AtomicFile.write(try StateStore.encode(contents), to: path)
        let (store, warning) = StateStore.load(path: path)
        #expect(warning == nil)
        let reloaded = try #require(store.lastRun(NodeID(kind: "image", name: "api")))
        #expect(reloaded.reason == "docker POST /v1.41/build: dockerfile parse error line 2: unknown instruction: NOTACMD (HTTP 400)")
        #expect(!reloaded.reason.contains(secret))
    }

    @Test("scrubbing leaves questions and text without a path alone")
    func scrubKeepsOrdinaryText() {
        #expect(QueryRedaction.scrub("is the engine running? check it") == "is the engine running? check it")
        #expect(QueryRedaction.scrub("GET /containers/json?all=1&filters=%7B%7D failed") == "GET /containers/json failed")
        #expect(QueryRedaction.scrub("see http://x/a?b=c") == "see http://x/a?b=c")
    }
}
