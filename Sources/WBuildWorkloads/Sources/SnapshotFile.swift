import WBuildCore
import WBuildFiles
import WBuildSystem

/// A source's last file list (path, kind, exec bit, size, digest) persisted under `.wbuild/cache/`,
/// so the next process can say which files changed. Binary: magic, count, entries, then a
/// SHA-256 of everything before it; anything that does not verify reads as "no snapshot".
struct SnapshotFile: Sendable {
    let path: String
    static let magic: [UInt8] = Array("WBSNAP1\n".utf8)

    func load() -> TreeSnapshot? {
        guard let bytes = try? AtomicFile.read(path) else { return nil }
        return Self.decode(bytes)
    }

    func save(_ snapshot: TreeSnapshot) throws(SystemError) {
        try AtomicFile.makeDirectories(AtomicFile.parentDirectoryPath(of: path))
        try AtomicFile.write(Self.encode(snapshot), to: path)
    }

    static func encode(_ snapshot: TreeSnapshot) -> [UInt8] {
        var out = magic
        out.reserveCapacity(magic.count + snapshot.entries.count * 96 + 40)
        append(UInt64(snapshot.entries.count), to: &out)
        for entry in snapshot.entries {
            let path = Array(entry.relativePath.utf8)
            append(UInt64(path.count), to: &out)
            out.append(contentsOf: path)
            out.append(entry.kind.rawValue)
            out.append(entry.isExecutable ? 1 : 0)
            append(entry.size, to: &out)
            out.append(contentsOf: entry.digest.bytes)
        }
        out.append(contentsOf: SHA256.hash(out))
        return out
    }

    static func decode(_ bytes: [UInt8]) -> TreeSnapshot? {
        guard bytes.count >= magic.count + 8 + 32, Array(bytes.prefix(magic.count)) == magic else { return nil }
        let body = bytes.dropLast(32)
        guard SHA256.hash(body) == Array(bytes.suffix(32)) else { return nil }
        var reader = ByteReader(bytes: Array(body), offset: magic.count)
        guard let count = reader.uint64(), count <= UInt64(body.count) else { return nil }
        var entries: [FileEntry] = []
        entries.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let length = reader.uint64(), let path = reader.bytes(Int(clamping: length)),
                  let kindRaw = reader.byte(), let kind = FileKind(rawValue: kindRaw), let exec = reader.byte(),
                  let size = reader.uint64(), let digestBytes = reader.bytes(32), let digest = FileDigest(bytes: digestBytes)
            else { return nil }
            entries.append(FileEntry(relativePath: String(decoding: path, as: UTF8.self), kind: kind,
                                     isExecutable: exec == 1, size: size, digest: digest))
        }
        return TreeSnapshot(entries: entries)
    }

    private static func append(_ value: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}

/// Bounds-checked big-endian reads.
private struct ByteReader {
    let bytes: [UInt8]
    var offset: Int

    mutating func byte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func uint64() -> UInt64? {
        guard let raw = bytes(8) else { return nil }
        return raw.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
