import Testing
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
