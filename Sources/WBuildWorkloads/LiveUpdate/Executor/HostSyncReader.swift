import WBuildSystem

/// Turns a plan's changed paths into the operations that make a container's synced tree equal
/// the host's, reading the host *now* (when the batch is applied), never trusting the event:
///
/// - a path gone from the host is removed; one that is there is written (a file), made
///   (a directory: its mode set, nothing deleted) or linked (a symlink, never followed);
/// - a path below something that is no longer a directory on the host (a directory replaced by
///   a file or a link) is skipped: it does not exist on its own, and the operation of that
///   ancestor (in this batch or the one that reported it) replaces the whole subtree;
/// - FIFOs, sockets and devices are neither synced nor a reason to delete.
///
/// The order makes the final state right whatever changed type: removes first, deepest first
/// (one per removed subtree), then directories, files and links, parents before children. A
/// link's path is removed first, so a directory the host replaced by a link goes (a file is
/// replaced by the strict write itself).
enum HostSyncReader {
    /// Blocking (`lstat`, `open`, `read`): call through `BlockingWork.run`.
    static func changes(for paths: [SyncPath]) throws(LiveUpdateError) -> [SyncChange] {
        var ancestorIsDirectory: [String: Bool] = [:]
        var removes: [String: SyncChange] = [:]
        var creates: [String: SyncChange] = [:]
        for path in paths where removes[path.containerPath] == nil && creates[path.containerPath] == nil {
            let entry: HostEntry
            do {
                guard try ancestorsAreDirectories(of: path, cache: &ancestorIsDirectory) else { continue }
                entry = try HostEntry.read(path.hostPath)
            } catch {
                throw LiveUpdateError(.syncFailed, "cannot read \(error.path ?? path.hostPath) on the host to sync it", cause: error,
                                      hint: "make it readable by the user running wbuild, or add it to liveUpdate's ignores")
            }
            let target = path.containerPath
            switch entry {
            case .gone:
                removes[target] = SyncChange(projectPath: path.projectPath, operation: .remove(containerPath: target))
            case .special:
                continue
            case .directory(let mode):
                creates[target] = SyncChange(projectPath: path.projectPath, operation: .makeDirectory(containerPath: target, mode: mode))
            case .file(let bytes, let mode):
                creates[target] = SyncChange(projectPath: path.projectPath,
                                             operation: .writeFile(containerPath: target, bytes: bytes, mode: mode))
            case .symlink(let linkTarget):
                removes[target] = SyncChange(projectPath: path.projectPath, operation: .remove(containerPath: target))
                creates[target] = SyncChange(projectPath: path.projectPath,
                                             operation: .makeSymlink(containerPath: target, target: linkTarget))
            }
        }
        return ordered(removes: removes, creates: creates)
    }

    /// Removes deepest first, dropping those inside another removed path; then creates, parents first.
    static func ordered(removes: [String: SyncChange], creates: [String: SyncChange]) -> [SyncChange] {
        let removedPaths = Set(removes.keys)
        let neededRemoves = removes.keys.filter { path in
            !ContainerPath.ancestors(of: path).contains { removedPaths.contains($0) }
        }
        var result = neededRemoves.sorted(by: >).compactMap { removes[$0] }
        result += creates.keys.sorted().compactMap { creates[$0] }
        return result
    }

    /// Whether every ancestor of `path` inside the project is a real directory on the host now.
    private static func ancestorsAreDirectories(of path: SyncPath,
                                                cache: inout [String: Bool]) throws(SystemError) -> Bool {
        let components = path.projectPath.split(separator: "/")
        guard components.count > 1, path.hostPath.hasSuffix("/" + path.projectPath) else { return true }
        let root = String(path.hostPath.dropLast(path.projectPath.utf8.count + 1))
        var ancestor = root
        for component in components.dropLast() {
            ancestor += "/" + component
            if let known = cache[ancestor] {
                if !known { return false }
                continue
            }
            let isDirectory = try HostEntry.isDirectory(ancestor)
            cache[ancestor] = isDirectory
            if !isDirectory { return false }
        }
        return true
    }
}

/// Absolute container paths as the sync compares them.
enum ContainerPath {
    /// `/a/b/c` → `/a/b`, `/a` (not `/`).
    static func ancestors(of path: String) -> [String] {
        var result: [String] = []
        var current = Substring(path)
        while let slash = current.lastIndex(of: "/"), slash != current.startIndex {
            current = current[current.startIndex..<slash]
            result.append(String(current))
        }
        return result
    }
}
