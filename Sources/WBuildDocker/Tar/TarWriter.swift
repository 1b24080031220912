#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

/// Writes a tar archive (USTAR, with PAX extended headers only where USTAR cannot hold a value)
/// into a sink, entry by entry, in exactly the order the caller gives. File contents stream from
/// their descriptor in 64 KiB chunks, so a large file is never loaded whole.
///
/// Entries: regular files, directories, symbolic links and hard links (to an earlier entry).
/// PAX records are added for: paths that do not fit USTAR's prefix/name split or are not ASCII,
/// link targets over 100 bytes or not ASCII, sizes of 8 GiB and more, uid/gid above 2097151,
/// user/group names over 32 bytes or not ASCII, and mtimes outside the octal field.
public struct TarWriter {
    private let sink: ([UInt8]) throws -> Void
    private var finished = false

    /// Size of the chunks file contents are read and emitted in.
    static let chunkSize = 64 * 1024

    /// Emits every piece of the archive to `sink` as it is produced.
    public init(sink: @escaping ([UInt8]) throws -> Void) {
        self.sink = sink
    }

    /// The deterministic header for reproducible contexts: the given mtime (default 0), uid/gid 0,
    /// empty user and group names, and modes normalised: 0755 when `mode` has any executable bit
    /// and 0644 otherwise for files, 0755 for directories, 0777 for symlinks.
    public static func deterministicHeader(for kind: TarEntry.Kind, mode: UInt32 = 0o644, mtime: Int64 = 0) -> TarHeaderFields {
        let normalised: UInt32
        switch kind {
        case .file: normalised = mode & 0o111 != 0 ? 0o755 : 0o644
        case .directory: normalised = 0o755
        case .symlink: normalised = 0o777
        case .hardLink: normalised = mode & 0o111 != 0 ? 0o755 : 0o644
        }
        return TarHeaderFields(mode: normalised, uid: 0, gid: 0, mtime: mtime, uname: "", gname: "")
    }

    /// A whole archive in memory, for small archives (tests, single-file uploads).
    public static func archive(_ entries: [TarEntry]) throws -> [UInt8] {
        var output: [UInt8] = []
        var writer = TarWriter { output += $0 }
        for entry in entries { try writer.append(entry) }
        try writer.finish()
        return output
    }

    /// Writes `entry`'s header (and PAX header when needed) and its contents.
    public mutating func append(_ entry: TarEntry) throws {
        guard !finished else { throw TarError(path: entry.path, "the archive was already finished") }
        var path = entry.path
        while path.hasPrefix("/") { path.removeFirst() }
        guard !path.isEmpty else { throw TarError(path: entry.path, "empty path") }
        switch entry.kind {
        case .file(.bytes(let bytes)):
            try writeHeaders(path: path, entry: entry, type: .regular, size: Int64(bytes.count))
            try sink(bytes)
            try emitPadding(Int64(bytes.count))
        case .file(.file(let hostPath)):
            try writeFile(at: hostPath, path: path, entry: entry)
        case .directory:
            if !path.hasSuffix("/") { path += "/" }
            try writeHeaders(path: path, entry: entry, type: .directory, size: 0)
        case .symlink:
            try writeHeaders(path: path, entry: entry, type: .symlink, size: 0)
        case .hardLink:
            try writeHeaders(path: path, entry: entry, type: .hardLink, size: 0)
        }
    }

    /// Writes the two zero blocks that end an archive.
    public mutating func finish() throws {
        guard !finished else { return }
        finished = true
        try sink([UInt8](repeating: 0, count: 2 * TarHeaderBlock.blockSize))
    }

    private func writeFile(at hostPath: String, path: String, entry: TarEntry) throws {
        let fd = try FileDescriptor.open(hostPath, O_RDONLY)
        defer { fd.close() }
        var info = stat()
        guard fstat(fd.rawValue, &info) == 0 else {
            throw SystemError("fstat", path: hostPath, errno: .current)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw TarError(path: path, "\(hostPath) is not a regular file")
        }
        let size = Int64(info.st_size)
        try writeHeaders(path: path, entry: entry, type: .regular, size: size)
        var remaining = size
        var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
        while remaining > 0 {
            let wanted = Int(min(Int64(Self.chunkSize), remaining))
            let result = chunk.withUnsafeMutableBytes { fd.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[..<wanted])) }
            switch result {
            case .failure(let errno):
                throw SystemError("read", path: hostPath, errno: errno)
            case .success(0):
                throw TarError(path: path, "\(hostPath) shrank while being archived (\(remaining) of \(size) bytes missing)")
            case .success(let count):
                try sink(Array(chunk[..<count]))
                remaining -= Int64(count)
            }
        }
        try emitPadding(size)
    }

    private func emitPadding(_ size: Int64) throws {
        let padding = TarHeaderBlock.padding(for: size)
        if !padding.isEmpty { try sink(padding) }
    }

    private func writeHeaders(path: String, entry: TarEntry, type: TarHeaderBlock.TypeFlag, size: Int64) throws {
        let layout = Self.headerLayout(path: path, entry: entry, type: type, size: size)
        if !layout.pax.isEmpty {
            let records = TarHeaderBlock.paxRecords(layout.pax)
            let baseName = Array(Array(path.utf8).split(separator: UInt8(ascii: "/")).last ?? [])
            let paxName = Array("PaxHeaders/".utf8) + Self.asciiFallback(baseName, limit: 89)
            let paxFields = TarHeaderBlock.Fields(name: paxName, mode: 0o644, uid: 0, gid: 0, size: Int64(records.count),
                                                  mtime: min(max(entry.header.mtime, 0), TarHeaderBlock.octalLimit(width: 12)),
                                                  type: .paxExtended)
            try sink(TarHeaderBlock.encode(paxFields))
            try sink(records)
            try emitPadding(Int64(records.count))
        }
        try sink(TarHeaderBlock.encode(layout.fields))
    }

    /// The USTAR fields for an entry, and the PAX records for whatever USTAR cannot hold.
    static func headerLayout(path: String, entry: TarEntry, type: TarHeaderBlock.TypeFlag,
                             size: Int64) -> (fields: TarHeaderBlock.Fields, pax: [(key: String, value: [UInt8])]) {
        let header = entry.header
        var pax: [(key: String, value: [UInt8])] = []
        let pathBytes = Array(path.utf8)
        var fields = TarHeaderBlock.Fields(name: pathBytes, mode: header.mode, uid: header.uid, gid: header.gid,
                                           size: size, mtime: header.mtime, type: type)
        if let (prefix, name) = ustarSplit(pathBytes) {
            fields.prefix = prefix
            fields.name = name
        } else {
            pax.append(("path", pathBytes))
            fields.name = asciiFallback(pathBytes, limit: 100)
        }
        let linkTarget: String?
        switch entry.kind {
        case .symlink(let target): linkTarget = target
        case .hardLink(let target): linkTarget = target.hasPrefix("/") ? String(target.drop { $0 == "/" }) : target
        case .file, .directory: linkTarget = nil
        }
        if let target = linkTarget {
            let targetBytes = Array(target.utf8)
            if targetBytes.count > 100 || !isASCII(targetBytes) {
                pax.append(("linkpath", targetBytes))
                fields.linkName = asciiFallback(targetBytes, limit: 100)
            } else {
                fields.linkName = targetBytes
            }
        }
        let octal8 = TarHeaderBlock.octalLimit(width: 8)
        let octal12 = TarHeaderBlock.octalLimit(width: 12)
        if size > octal12 { pax.append(("size", Array(String(size).utf8))) }
        if header.uid < 0 || Int64(header.uid) > octal8 { pax.append(("uid", Array(String(header.uid).utf8))) }
        if header.gid < 0 || Int64(header.gid) > octal8 { pax.append(("gid", Array(String(header.gid).utf8))) }
        if header.mtime < 0 || header.mtime > octal12 { pax.append(("mtime", Array(String(header.mtime).utf8))) }
        let uname = Array(header.uname.utf8)
        if uname.count > 32 || !isASCII(uname) { pax.append(("uname", uname)) } else { fields.uname = uname }
        let gname = Array(header.gname.utf8)
        if gname.count > 32 || !isASCII(gname) { pax.append(("gname", gname)) } else { fields.gname = gname }
        return (fields, pax)
    }

    /// USTAR's `prefix` (≤155 bytes) + `/` + `name` (≤100 bytes) split of an ASCII path, if one exists.
    static func ustarSplit(_ path: [UInt8]) -> (prefix: [UInt8], name: [UInt8])? {
        guard isASCII(path) else { return nil }
        if path.count <= 100 { return ([], path) }
        guard path.count <= 256 else { return nil }
        // Choose the leftmost slash that leaves a name of at most 100 bytes.
        for index in path.indices where path[index] == UInt8(ascii: "/") {
            let prefix = Array(path[..<index])
            let name = Array(path[(index + 1)...])
            if prefix.count <= 155, name.count <= 100, !name.isEmpty { return (prefix, name) }
            if prefix.count > 155 { break }
        }
        return nil
    }

    static func isASCII(_ bytes: [UInt8]) -> Bool { bytes.allSatisfy { $0 < 0x80 && $0 != 0 } }

    /// A stand-in for readers that ignore PAX: the ASCII bytes of `bytes`, cut to `limit`.
    static func asciiFallback(_ bytes: [UInt8], limit: Int) -> [UInt8] {
        Array(bytes.map { $0 < 0x80 && $0 != 0 ? $0 : UInt8(ascii: "_") }.suffix(limit))
    }
}
