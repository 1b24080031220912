/// The snapshot file format, version 2 (little-endian), so a later run can say which inputs
/// changed since the last build ("inputs changed: api/src/main.js"):
///
///     magic "WBTS" | version u32 | entry count u32
///     entries, in path order: shared-prefix length (varint), suffix length (varint),
///       suffix bytes, kind u8, mode u32, size u64, digest as four u64 words, hard-link id u64
///     checksum u64 (Checksum64 of everything before it)
///
/// The tree hash is recomputed on decode, never trusted from the file.
extension TreeSnapshot {
    static let magic: [UInt8] = Array("WBTS".utf8)
    static let formatVersion: UInt32 = 2

    /// The snapshot as bytes for `decode(_:)`.
    public func encode() -> [UInt8] {
        var writer = ByteWriter()
        writer.bytes.reserveCapacity(16 + entries.count * 60)
        writer.append(contentsOf: Self.magic)
        writer.append(Self.formatVersion)
        writer.append(UInt32(clamping: entries.count))
        var previous: [UInt8] = []
        for entry in entries {
            withBytes(entry.relativePath) { current in
                var shared = 0
                let limit = min(previous.count, current.count)
                while shared < limit, previous[shared] == current[shared] { shared += 1 }
                writer.appendVarint(UInt64(shared))
                writer.appendVarint(UInt64(current.count - shared))
                writer.append(contentsOf: current[shared...])
                previous.removeSubrange(shared...)
                previous.append(contentsOf: current[shared...])
            }
            writer.append(entry.kind.rawValue)
            writer.append(entry.mode)
            writer.append(entry.size)
            writer.append(entry.digest.word0)
            writer.append(entry.digest.word1)
            writer.append(entry.digest.word2)
            writer.append(entry.digest.word3)
            writer.append(entry.hardLinkID)
        }
        let checksum = writer.bytes.withUnsafeBytes { Checksum64.of($0) }
        writer.append(checksum)
        return writer.bytes
    }

    /// Reads bytes from `encode()`; `nil` on any corruption, truncation or unknown version,
    /// or when paths are not strictly in order.
    public static func decode(_ bytes: [UInt8]) -> TreeSnapshot? {
        bytes.withUnsafeBytes { raw -> TreeSnapshot? in
            // Each entry takes at least 2 + 53 bytes: absurd counts are rejected before reserving.
            guard let (opened, count) = ByteReader.openChecksummed(raw, magic: Self.magic, version: Self.formatVersion,
                                                                    minimumEntryBytes: 55) else { return nil }
            var reader = opened
            var entries: [FileEntry] = []
            entries.reserveCapacity(count)
            var previous: [UInt8] = []
            for _ in 0..<count {
                var current = previous
                guard reader.readPath(into: &current),
                      previous.isEmpty || previous.lexicographicallyPrecedes(current) else { return nil }
                guard let kindByte = reader.read(UInt8.self), let kind = FileKind(rawValue: kindByte),
                      let mode = reader.read(UInt32.self), mode <= 0o7777,
                      let size = reader.read(UInt64.self), let w0 = reader.read(UInt64.self),
                      let w1 = reader.read(UInt64.self), let w2 = reader.read(UInt64.self),
                      let w3 = reader.read(UInt64.self), let link = reader.read(UInt64.self) else { return nil }
                entries.append(FileEntry(relativePath: String(decoding: current, as: UTF8.self), kind: kind,
                                         mode: mode, size: size,
                                         digest: FileDigest(word0: w0, word1: w1, word2: w2, word3: w3), hardLinkID: link))
                previous = current
            }
            guard reader.remaining == 0 else { return nil }
            return TreeSnapshot(sortedEntries: entries)
        }
    }
}
