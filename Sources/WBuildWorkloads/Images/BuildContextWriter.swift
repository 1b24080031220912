#if canImport(Glibc)
import Glibc
#endif
import WBuildDocker
import WBuildFiles

/// Streams a build context as a deterministic tar: the files of the source snapshot (already
/// filtered by `.dockerignore`) in sorted order with explicit parent directories, symlinks kept
/// as links (never followed), fixed mtimes and normalised modes — the same tree gives the same
/// bytes. A Dockerfile outside the context is injected the way the docker CLI does it.
struct BuildContextWriter: Sendable {
    let root: String
    let snapshot: TreeSnapshot
    /// Entries to add after the context (the injected Dockerfile and rewritten `.dockerignore`).
    let injected: [TarEntry]
    /// Context paths the injected entries replace.
    let replaced: Set<String>

    func write(to sink: @escaping ([UInt8]) throws -> Void) throws {
        var writer = TarWriter(sink: sink)
        var directories = Set<String>()
        for entry in snapshot.entries where !replaced.contains(entry.relativePath) {
            try ensureParents(of: entry.relativePath, in: &directories, writer: &writer)
            let hostPath = root + "/" + entry.relativePath
            switch entry.kind {
            case .file:
                try writer.append(.file(entry.relativePath, from: hostPath, mode: entry.isExecutable ? 0o755 : 0o644))
            case .symlink:
                try writer.append(.symlink(entry.relativePath, target: try Self.readLink(hostPath)))
            }
        }
        for entry in injected { try writer.append(entry) }
        try writer.finish()
    }

    private func ensureParents(of path: String, in directories: inout Set<String>, writer: inout TarWriter) throws {
        var parents: [String] = []
        var current = Substring(path)
        while let slash = current.lastIndex(of: "/") {
            current = current[..<slash]
            if directories.contains(String(current)) { break }
            parents.append(String(current))
        }
        for parent in parents.reversed() {
            directories.insert(parent)
            try writer.append(.directory(parent))
        }
    }

    static func readLink(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { throw TarError(path: path, "cannot read the link: \(String(cString: strerror(errno)))") }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
