/// Owner, mode and time fields of one tar entry.
public struct TarHeaderFields: Sendable, Equatable {
    /// Permission bits (and setuid/setgid/sticky), not the file type.
    public var mode: UInt32
    public var uid: Int
    public var gid: Int
    /// Seconds since the epoch.
    public var mtime: Int64
    public var uname: String
    public var gname: String

    public init(mode: UInt32, uid: Int = 0, gid: Int = 0, mtime: Int64 = 0, uname: String = "", gname: String = "") {
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.mtime = mtime
        self.uname = uname
        self.gname = gname
    }
}

/// Where a regular file's bytes come from.
public enum TarFileContents: Sendable, Equatable {
    /// Bytes held in memory (small generated files such as an injected Dockerfile).
    case bytes([UInt8])
    /// A file on disk, streamed in chunks when the entry is written; its size is taken with `fstat`.
    case file(path: String)
}

/// One entry for `TarWriter`: a path inside the archive, what it is, and its header fields.
public struct TarEntry: Sendable, Equatable {
    /// What the entry is.
    public enum Kind: Sendable, Equatable {
        case file(TarFileContents)
        case directory
        /// A symbolic link, stored as a link; `target` is written verbatim and never followed.
        case symlink(target: String)
        /// A hard link to an earlier entry of the same archive: `target` is that entry's path.
        case hardLink(target: String)
    }

    /// Path inside the archive, `/`-separated, relative (no leading `/`); directories without a trailing `/`.
    public var path: String
    public var kind: Kind
    public var header: TarHeaderFields

    public init(path: String, kind: Kind, header: TarHeaderFields) {
        self.path = path
        self.kind = kind
        self.header = header
    }

    /// A regular file with in-memory contents and deterministic header fields.
    public static func file(_ path: String, contents: [UInt8], executable: Bool = false, mtime: Int64 = 0) -> TarEntry {
        TarEntry(path: path, kind: .file(.bytes(contents)),
                 header: TarWriter.deterministicHeader(for: .file(.bytes([])), mode: executable ? 0o755 : 0o644, mtime: mtime))
    }

    /// A regular file streamed from `hostPath`, with deterministic header fields; `mode` is the file's
    /// mode on disk, of which only the executable bit is kept.
    public static func file(_ path: String, from hostPath: String, mode: UInt32 = 0o644, mtime: Int64 = 0) -> TarEntry {
        TarEntry(path: path, kind: .file(.file(path: hostPath)),
                 header: TarWriter.deterministicHeader(for: .file(.file(path: hostPath)), mode: mode, mtime: mtime))
    }

    /// A directory with deterministic header fields (mode 0755).
    public static func directory(_ path: String, mtime: Int64 = 0) -> TarEntry {
        TarEntry(path: path, kind: .directory, header: TarWriter.deterministicHeader(for: .directory, mtime: mtime))
    }

    /// A second name for the regular file written earlier at `target`, with `header`'s fields.
    public static func hardLink(_ path: String, target: String, header: TarHeaderFields) -> TarEntry {
        TarEntry(path: path, kind: .hardLink(target: target), header: header)
    }

    /// A symbolic link with deterministic header fields (mode 0777).
    public static func symlink(_ path: String, target: String, mtime: Int64 = 0) -> TarEntry {
        TarEntry(path: path, kind: .symlink(target: target),
                 header: TarWriter.deterministicHeader(for: .symlink(target: target), mtime: mtime))
    }
}

/// Why an archive could not be written.
public struct TarError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The entry's path inside the archive.
    public var path: String
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "tar entry \(path): \(message)" }
}
