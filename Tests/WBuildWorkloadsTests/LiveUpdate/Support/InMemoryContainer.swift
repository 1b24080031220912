@testable import WBuildWorkloads

/// A container's file system as the supervisor's commands change it, in memory, so the sync's
/// decisions are tested by the hundreds without an engine. Its rules are the supervisor's
/// (and, strictly, no more forgiving):
/// - `PUT` (writeFile) creates missing parents (0755) and replaces whatever is at the path, a
///   directory included (removed as `DEL` removes it);
/// - `MKDIR` creates missing parents, sets the mode of a directory that is there, replaces a
///   non-directory, and never removes a directory;
/// - `LINK` creates a link; over a directory it fails (the reader must have removed it first);
/// - `DEL` removes a file, a link (never what it points to) or a whole tree, leaving a mount
///   point (and what is above it) in place; a path already gone is fine;
/// - every command fails when a parent on the way is a file or a link: nothing is ever written
///   through a link.
struct InMemoryContainer: Equatable {
    enum Node: Equatable, CustomStringConvertible {
        case file(bytes: [UInt8], mode: UInt32)
        case directory(mode: UInt32)
        case symlink(target: String)

        var description: String {
            switch self {
            case .file(let bytes, let mode): "file(\(bytes.count) bytes, \(String(mode, radix: 8)))"
            case .directory(let mode): "dir(\(String(mode, radix: 8)))"
            case .symlink(let target): "link(→ \(target))"
            }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Absolute paths (no trailing slash) → node; `/` is implicit.
    var nodes: [String: Node] = [:]
    /// Mount points (of volumes or bind mounts): `DEL` never removes them nor what is inside.
    var mounts: Set<String> = []
    /// Every operation applied, for a failure's report.
    private(set) var log: [String] = []

    mutating func apply(_ operations: [SyncOperation]) throws(Failure) {
        for operation in operations { try apply(operation) }
    }

    mutating func apply(_ operation: SyncOperation) throws(Failure) {
        log.append("\(operation)".prefix(160).description)
        switch operation {
        case .writeFile(let path, let bytes, let mode):
            try makeParents(of: path)
            if case .directory = nodes[path] { try removeTree(path) }
            nodes[path] = .file(bytes: bytes, mode: mode & 0o7777)
        case .makeDirectory(let path, let mode):
            try makeParents(of: path)
            nodes[path] = .directory(mode: mode & 0o7777)
        case .makeSymlink(let path, let target):
            try makeParents(of: path)
            if case .directory = nodes[path] {
                throw Failure(description: "LINK \(path): a directory is there (remove it first)")
            }
            nodes[path] = .symlink(target: target)
        case .remove(let path):
            for ancestor in ContainerPath.ancestors(of: path) {
                if let node = nodes[ancestor], node.directoryMode == nil { return } // ENOTDIR: already gone
            }
            try removeTree(path)
        }
    }

    /// The subtree at and below `root`, relative to it (`""` is `root` itself).
    func tree(at root: String) -> [String: Node] {
        var result: [String: Node] = [:]
        for (path, node) in nodes {
            if path == root { result[""] = node }
            else if path.hasPrefix(root + "/") { result[String(path.dropFirst(root.count + 1))] = node }
        }
        return result
    }

    private mutating func makeParents(of path: String) throws(Failure) {
        for ancestor in ContainerPath.ancestors(of: path).reversed() {
            switch nodes[ancestor] {
            case nil: nodes[ancestor] = .directory(mode: 0o755)
            case .directory: continue
            case .some(let node): throw Failure(description: "\(path): parent \(ancestor) is \(node), not a directory")
            }
        }
    }

    /// Removes `path` and everything beneath it, except mount points and their contents.
    private mutating func removeTree(_ path: String) throws(Failure) {
        guard nodes[path] != nil else { return }
        let beneath = nodes.keys.filter { $0.hasPrefix(path + "/") }
        let kept = beneath.filter { key in mounts.contains { key == $0 || key.hasPrefix($0 + "/") || $0.hasPrefix(key + "/") } }
        if mounts.contains(path) { return }
        for key in beneath where !kept.contains(key) { nodes[key] = nil }
        if kept.isEmpty { nodes[path] = nil }
    }
}

extension InMemoryContainer.Node {
    var directoryMode: UInt32? {
        if case .directory(let mode) = self { return mode }
        return nil
    }
}
