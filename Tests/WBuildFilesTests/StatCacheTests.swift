import Foundation
import Testing
import WBuildSystem
import WBuildTestSupport
@testable import WBuildFiles

@Suite("Stat cache lookups and changes")
struct StatCacheTests {
    private func entry(_ seed: Int) -> StatCache.Entry {
        StatCache.Entry(fingerprint: StatFingerprint(size: UInt64(seed), modifiedNanoseconds: Int64(seed), changedNanoseconds: 7,
                                                     inode: UInt64(seed), device: 1),
                        digest: FileDigest.of(Array("content \(seed)".utf8)))
    }

    /// A cache as `load` returns it (one sorted table, no pending changes).
    private func loaded(_ paths: [String]) throws -> StatCache {
        var cache = StatCache()
        for (index, path) in paths.enumerated() { cache[path] = entry(index) }
        return try #require(StatCache.decode(cache.encode()))
    }

    @Test func changesAfterLoadingReadBackAndPersist() throws {
        var cache = try loaded(["a", "b/c", "b/d", "e"])
        cache["b/c"] = entry(10)       // replace
        cache.remove("b/d")           // remove from the table
        cache["b-x"] = entry(11)       // add between table paths
        cache["z"] = entry(12)         // add after them
        cache["y"] = entry(13)
        cache.remove("y")             // add then remove
        cache.remove("missing")       // remove what was never there
        #expect(cache.count == 5)
        #expect(cache.paths == ["a", "b-x", "b/c", "e", "z"])
        #expect(cache["b/c"] == entry(10))
        #expect(cache["b/d"] == nil)
        #expect(cache.digest(for: "e", matching: entry(3).fingerprint) == entry(3).digest)
        #expect(cache.digest(for: "e", matching: entry(4).fingerprint) == nil)

        var rebuilt = StatCache()
        for path in cache.paths { rebuilt[path] = cache[path] }
        #expect(cache == rebuilt)
        #expect(cache.encode() == rebuilt.encode())
        #expect(StatCache.decode(cache.encode()) == rebuilt)
    }

    @Test func lookupsInAnyOrderFindEveryEntry() throws {
        let paths = (0..<300).map { "d\($0 % 7)/f\($0)" }
        let cache = try loaded(paths)
        for (index, path) in paths.enumerated().reversed() {
            #expect(cache[path] == entry(index), "\(path)")
        }
        // In path order with a shared hint, as the walker looks them up.
        var hint = 0
        for path in cache.paths {
            let stored = try #require(cache[path])
            #expect(cache.digest(for: path, matching: stored.fingerprint, hint: &hint) == stored.digest)
        }
        #expect(cache["d0"] == nil)
        #expect(cache["d9/f1"] == nil)
    }

    @Test func compactingKeepsOnlyTheTreesFiles() throws {
        var cache = try loaded(["a", "b", "c"])
        cache["d"] = entry(9)
        let digest = FileDigest.of([1])
        let tree = [FileEntry(relativePath: "b", kind: .file, isExecutable: false, size: 1, digest: digest),
                    FileEntry(relativePath: "d", kind: .file, isExecutable: false, size: 1, digest: digest),
                    FileEntry(relativePath: "l", kind: .symlink, isExecutable: false, size: 1, digest: digest)]
        cache.compact(keeping: tree)
        #expect(cache.paths == ["b", "d"])
        #expect(cache["d"] == entry(9))
    }

    @Test func pathsOutOfOrderOnDiskAreRejected() throws {
        let cache = try loaded(["b", "c"])
        var bytes = cache.encode()
        // The first path is the single byte at offset 4 + 4 + 4 + 2; make it sort after "c".
        #expect(bytes[14] == UInt8(ascii: "b"))
        bytes[14] = UInt8(ascii: "d")
        let body = Array(bytes[0..<(bytes.count - 8)])
        let checksum = body.withUnsafeBytes { Checksum64.of($0) }
        var resealed = body
        withUnsafeBytes(of: checksum.littleEndian) { resealed.append(contentsOf: $0) }
        #expect(StatCache.decode(resealed) == nil)
    }
}

@Suite("Stat cache files")
struct StatCacheFileTests {
    private func bigCache() -> StatCache {
        var cache = StatCache()
        // ~100 bytes per entry: 6000 entries cross the writer's 256 KB flushes.
        for index in 0..<6000 {
            let path = "src/module\(index % 13)/nested-\(index % 7)/file-\(index).swift"
            cache[path] = StatCache.Entry(
                fingerprint: StatFingerprint(size: UInt64(index), modifiedNanoseconds: Int64(index) * 3, changedNanoseconds: 5,
                                             inode: UInt64(index) &* 7919, device: 2049),
                digest: FileDigest.of(Array(path.utf8)))
        }
        return cache
    }

    @Test func savingWritesExactlyTheEncoding() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-cache-file")
        defer { directory.remove() }
        var cache = try #require(StatCache.decode(bigCache().encode()))
        cache.remove("src/module0/nested-0/file-0.swift")
        cache["src/added.swift"] = cache["src/module1/nested-1/file-1.swift"]
        let path = directory.url("stat-cache")
        try cache.save(to: path)
        let written = try #require(try AtomicFile.read(path))
        #expect(written == cache.encode())
        #expect(StatCache.load(file: path) == cache)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["stat-cache"])
    }

    @Test("the saved cache is private to its owner (0600), also when it replaces a world-readable one")
    func savedCacheIsPrivate() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-cache-mode")
        defer { directory.remove() }
        let path = try directory.write("stat-cache", "old")
        #expect(chmod(path, 0o644) == 0)
        try bigCache().save(to: path)
        #expect(FileModes.mode(path) == 0o600)
    }

    @Test func aMissingDirectoryIsATypedErrorAndLeavesNothing() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-cache-file")
        defer { directory.remove() }
        let path = directory.url("missing/stat-cache")
        let error = #expect(throws: FilesError.self) { try bigCache().save(to: path) }
        #expect(error?.code == .cacheNotWritten)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func theChecksumFedInPiecesEqualsTheOneShot() {
        var state: UInt64 = 99
        let bytes = (0..<1003).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        bytes.withUnsafeBytes { raw in
            for cut in stride(from: 0, through: 1000, by: 8) {
                var running = Checksum64.Running(totalCount: raw.count)
                running.update(words: UnsafeRawBufferPointer(rebasing: raw[0..<cut]))
                #expect(running.finish(tail: UnsafeRawBufferPointer(rebasing: raw[cut...])) == Checksum64.of(raw), "cut \(cut)")
            }
        }
    }
}
