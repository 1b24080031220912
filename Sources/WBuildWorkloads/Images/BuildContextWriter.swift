#if canImport(Glibc)
import Glibc
#endif
import WBuildDocker
import WBuildFiles

/// Streams a build context as the docker CLI would send it: the entries of the source snapshot
/// (already filtered by `.dockerignore`, directories included, so empty ones arrive) with their
/// own modes, hard links as links to the first name, symlinks as links (never followed) and
/// each entry's mtime in whole seconds (the classic builder's `COPY` keeps them, as the CLI
/// sends them). Kept fixed, because nothing in the image depends on them: the entry order
/// (sorted paths), uid/gid 0 with no user or group names (the CLI sends 0 too, and `COPY` makes
/// everything root's), no access or change times, and PAX headers only where USTAR cannot hold a
/// value. A directory the CLI walks into only for a `!` exception is not an entry either, so
/// the engine creates it as it does for docker.
struct BuildContextWriter: Sendable {
    let root: String
    let snapshot: TreeSnapshot
    /// Entries to add after the context (an injected Dockerfile and rewritten `.dockerignore`).
    let injected: [TarEntry]
    /// Context paths sent from disk although the snapshot lacks them.
    var sentFromDisk: [String] = []
    /// Context paths the injected entries replace.
    let replaced: Set<String>

    init(root: String, snapshot: TreeSnapshot, plan: BuildContextPlan) {
        self.root = root
        self.snapshot = snapshot
        self.injected = plan.injected
        self.sentFromDisk = plan.sentFromDisk
        self.replaced = plan.replaced
    }

    func write(to sink: @escaping ([UInt8]) throws -> Void) throws {
        var writer = TarWriter(sink: sink)
        var firstNames: [UInt64: String] = [:]
        for entry in snapshot.entries where !replaced.contains(entry.relativePath) {
            let path = entry.kind == .directory ? String(entry.relativePath.dropLast()) : entry.relativePath
            let hostPath = root + "/" + path
            let header = TarHeaderFields(mode: entry.mode, mtime: try Self.status(hostPath).mtime)
            switch entry.kind {
            case .directory:
                try writer.append(TarEntry(path: path, kind: .directory, header: header))
            case .file:
                if entry.hardLinkID != 0 {
                    if let first = firstNames[entry.hardLinkID] {
                        try writer.append(.hardLink(path, target: first, header: header))
                        continue
                    }
                    firstNames[entry.hardLinkID] = path
                }
                try writer.append(TarEntry(path: path, kind: .file(.file(path: hostPath)), header: header))
            case .symlink:
                try writer.append(TarEntry(path: path, kind: .symlink(target: try Self.readLink(hostPath)), header: header))
            }
        }
        for path in sentFromDisk {
            let hostPath = root + "/" + path
            let status = try Self.status(hostPath)
            let header = TarHeaderFields(mode: status.mode, mtime: status.mtime)
            let kind: TarEntry.Kind = status.isSymlink ? .symlink(target: try Self.readLink(hostPath)) : .file(.file(path: hostPath))
            try writer.append(TarEntry(path: path, kind: kind, header: header))
        }
        for entry in injected { try writer.append(entry) }
        try writer.finish()
    }

    /// `lstat`: permission bits, the mtime in whole seconds (as the docker CLI sends it), and
    /// whether it is a symlink.
    static func status(_ path: String) throws -> (mode: UInt32, mtime: Int64, isSymlink: Bool) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            throw TarError(path: path, "cannot stat it while sending the build context: \(String(cString: strerror(errno))); "
                           + "it changed after the scan, and wbuild builds again when the change is seen")
        }
        return (UInt32(info.st_mode) & 0o7777, Int64(info.st_mtim.tv_sec), info.st_mode & S_IFMT == S_IFLNK)
    }

    static func readLink(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { throw TarError(path: path, "cannot read the link: \(String(cString: strerror(errno)))") }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
