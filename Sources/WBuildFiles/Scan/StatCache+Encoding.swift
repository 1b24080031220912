/// The stat cache's file format, version 1 (little-endian):
///
///     magic "WBSC" | version u32 | entry count u32
///     entries, in path order: shared-prefix length (varint), suffix length (varint),
///       suffix bytes, size u64, mtime ns i64, ctime ns i64, inode u64, device u64, digest as four u64 words
///     checksum u64 (Checksum64 of everything before it)
///
/// Paths are prefix-compressed against the previous one; a tree's sorted paths share long
/// prefixes, so 100k entries take a few MB and load in milliseconds.
extension StatCache {
    static let magic: [UInt8] = Array("WBSC".utf8)
    static let formatVersion: UInt32 = 1

    /// The cache as bytes for `decode(_:)` (`save(to:)` writes the same bytes without
    /// holding them all in memory).
    public func encode() -> [UInt8] {
        var writer = ByteWriter()
        writer.bytes.reserveCapacity(encodedBodySize + 8)
        encodeBody(into: &writer)
        let checksum = writer.bytes.withUnsafeBytes { Checksum64.of($0) }
        writer.append(checksum)
        return writer.bytes
    }

    /// Everything `encode()` writes before the checksum.
    func encodeBody(into sink: inout some ByteSink) {
        sink.append(contentsOf: Self.magic)
        sink.append(Self.formatVersion)
        sink.append(UInt32(clamping: count))
        var previous: [UInt8] = []
        forEachInOrder { current, entry in
            let shared = Self.sharedPrefix(previous, current)
            sink.appendVarint(UInt64(shared))
            sink.appendVarint(UInt64(current.count - shared))
            sink.append(contentsOf: current[shared...])
            let fingerprint = entry.fingerprint
            sink.append(fingerprint.size)
            sink.append(fingerprint.modifiedNanoseconds)
            sink.append(fingerprint.changedNanoseconds)
            sink.append(fingerprint.inode)
            sink.append(fingerprint.device)
            sink.append(entry.digest.word0)
            sink.append(entry.digest.word1)
            sink.append(entry.digest.word2)
            sink.append(entry.digest.word3)
            previous.removeSubrange(shared...)
            previous.append(contentsOf: current[shared...])
        }
    }

    /// The length of `encodeBody`'s output, found without producing it.
    var encodedBodySize: Int {
        var size = 12
        var previous: [UInt8] = []
        forEachInOrder { current, _ in
            let shared = Self.sharedPrefix(previous, current)
            size += ByteWriter.varintSize(UInt64(shared)) + ByteWriter.varintSize(UInt64(current.count - shared))
            size += current.count - shared + 72
            previous.removeSubrange(shared...)
            previous.append(contentsOf: current[shared...])
        }
        return size
    }

    private static func sharedPrefix(_ previous: [UInt8], _ current: UnsafeBufferPointer<UInt8>) -> Int {
        var shared = 0
        let limit = min(previous.count, current.count)
        while shared < limit, previous[shared] == current[shared] { shared += 1 }
        return shared
    }

    /// Reads bytes from `encode()`; `nil` for anything else: wrong magic or version,
    /// truncation, trailing garbage, a checksum mismatch, or paths out of order (the table is read as is, never re-sorted).
    public static func decode(_ bytes: [UInt8]) -> StatCache? {
        bytes.withUnsafeBytes { raw -> StatCache? in
            // Each entry takes at least 2 + 72 bytes: absurd counts are rejected before reserving.
            guard let (opened, count) = ByteReader.openChecksummed(raw, magic: Self.magic, version: Self.formatVersion,
                                                                    minimumEntryBytes: 74) else { return nil }
            var reader = opened
            var table = SortedPathTable<Entry>()
            table.reserve(count: count, pathBytes: count * 24)
            var previous: [UInt8] = []
            for _ in 0..<count {
                guard reader.readPath(into: &previous) else { return nil }
                guard let size = reader.read(UInt64.self), let modified = reader.read(Int64.self),
                      let changed = reader.read(Int64.self), let inode = reader.read(UInt64.self),
                      let device = reader.read(UInt64.self), let w0 = reader.read(UInt64.self),
                      let w1 = reader.read(UInt64.self), let w2 = reader.read(UInt64.self),
                      let w3 = reader.read(UInt64.self) else { return nil }
                let fingerprint = StatFingerprint(size: size, modifiedNanoseconds: modified, changedNanoseconds: changed,
                                                  inode: inode, device: device)
                let digest = FileDigest(word0: w0, word1: w1, word2: w2, word3: w3)
                // Paths must be strictly increasing (which also rules out duplicates).
                let appended = previous.withUnsafeBufferPointer { table.append($0, Entry(fingerprint: fingerprint, digest: digest)) }
                guard appended else { return nil }
            }
            guard reader.remaining == 0 else { return nil }
            return StatCache(table: table)
        }
    }
}
