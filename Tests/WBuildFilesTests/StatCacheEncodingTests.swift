import Testing
import WBuildTestSupport
@testable import WBuildFiles

@Suite("Stat cache persistence")
struct StatCacheEncodingTests {
    private func sampleCache(count: Int) -> StatCache {
        var cache = StatCache()
        for index in 0..<count {
            let path = "src/module\(index % 10)/file-\(index)-é.swift"
            cache[path] = StatCache.Entry(
                fingerprint: StatFingerprint(size: UInt64(index * 100), modifiedNanoseconds: 1_700_000_000_000_000_000 + Int64(index),
                                             changedNanoseconds: -Int64(index), inode: UInt64.max - UInt64(index), device: 2049),
                digest: FileDigest.of(Array(path.utf8)))
        }
        return cache
    }

    @Test func roundTrips() throws {
        let cache = sampleCache(count: 500)
        let decoded = try #require(StatCache.decode(cache.encode()))
        #expect(decoded == cache)
        #expect(StatCache.decode(StatCache().encode()) == StatCache())
    }

    @Test func prefixCompressionKeepsItCompact() {
        let cache = sampleCache(count: 1000)
        let rawPathBytes = cache.paths.reduce(0) { $0 + $1.utf8.count }
        // 72 fixed bytes per entry plus far less than the raw paths.
        #expect(cache.encode().count < 1000 * 76 + rawPathBytes / 2)
    }

    @Test func everyTruncationIsRejected() {
        let bytes = sampleCache(count: 20).encode()
        for length in 0..<bytes.count {
            #expect(StatCache.decode(Array(bytes[0..<length])) == nil, "truncated to \(length)")
        }
    }

    @Test func everySingleBitFlipIsRejected() {
        let bytes = sampleCache(count: 5).encode()
        for index in 0..<bytes.count {
            var corrupt = bytes
            corrupt[index] ^= 0x10
            #expect(StatCache.decode(corrupt) == nil, "flipped byte \(index)")
        }
    }

    @Test func garbageAndOtherVersionsAreRejected() {
        #expect(StatCache.decode(Array("not a cache at all, just some text".utf8)) == nil)
        #expect(StatCache.decode(Array(repeating: 0, count: 64)) == nil)
        var bytes = sampleCache(count: 3).encode()
        bytes.append(0)
        #expect(StatCache.decode(bytes) == nil)
    }

    @Test func aScannedCacheSurvivesTheDiskAndStillSavesReads() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-cache")
        defer { directory.remove() }
        for index in 0..<10 { try directory.write("f\(index)", "content \(index)") }
        let scanner = try ScanFixtures.scanner(directory)
        var cache = StatCache()
        _ = try scanner.scan(cache: &cache)
        var loaded = try #require(StatCache.decode(cache.encode()))
        let warm = try scanner.scan(cache: &loaded)
        #expect(warm.statistics.filesHashed == 0)
        #expect(warm.statistics.cacheHits == 10)
    }

    @Test func savesAndLoadsAndFallsBackToEmptyOnDamage() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-cache")
        defer { directory.remove() }
        let cache = sampleCache(count: 50)
        let file = directory.url("stat-cache")
        try cache.save(to: file)
        #expect(StatCache.load(file: file) == cache)
        #expect(StatCache.load(file: directory.url("missing")).isEmpty)
        try directory.write("stat-cache", "damaged")
        #expect(StatCache.load(file: file).isEmpty)
        #expect(throws: FilesError.self) { try cache.save(to: directory.url("no/such/dir/cache")) }
    }
}
