import WBuildSystem

/// Turns a plan's changed paths into the operations that make a container's synced tree equal
/// the host's, reading the host *now* (when the batch is applied), never trusting the event:
///
/// - a path gone from the host is removed; one that is there is written (a file), made
///   (a directory: its mode set, nothing deleted) or linked (a symlink, never followed);
/// - a path below something that is no longer a directory on the host (deleted, or replaced
///   by a file or a link) stands for that ancestor: the highest such ancestor within the sync
///   rule is what is synced (removed, written or linked), which replaces its whole subtree in
///   the container; nothing is ever read or written through a link. (Skipping the path instead
///   would leave its entry in the container when the ancestor is a directory again by the
///   time its own event is applied: `rm -rf d; mkdir d` over two batches.)
/// - FIFOs, sockets and devices are neither synced nor a reason to delete.
///
/// The order makes the final state right whatever changed type: removes first, deepest first
/// (one per removed subtree), then directories, files and links, parents before children. A
/// link's path is removed first, so a directory the host replaced by a link goes (a file is
/// replaced by the strict write itself).
enum HostSyncReader {
    /// Blocking (`lstat`, `open`, `read`): call through `BlockingWork.run`.
    static func changes(for paths: [SyncPath]) throws(LiveUpdateError) -> [SyncChange] {
        var directories = DirectoryModes()
        var removes: [String: SyncChange] = [:]
        var creates: [String: SyncChange] = [:]
        var created: [SyncPath] = []
        var seen = Set<String>()
        for reported in paths {
            var path = reported
            let entry: HostEntry
            do {
                if let levelsUp = try highestNonDirectoryAncestor(of: reported, directories: &directories) {
                    guard let levels = reported.levelsBelowRule else { continue }  // an old ledger's entry: leave it
                    path = reported.ancestor(levelsUp: min(levelsUp, levels))
                    guard seen.insert(path.containerPath).inserted else { continue }
                    // Above the rule's root, the root itself is not a directory we may read through.
                    entry = levelsUp > levels ? .gone : try HostEntry.read(path.hostPath)
                } else {
                    guard seen.insert(path.containerPath).inserted else { continue }
                    entry = try HostEntry.read(path.hostPath)
                }
            } catch {
                throw LiveUpdateError(.syncFailed, "cannot read \(error.path ?? reported.hostPath) on the host to sync it", cause: error,
                                      hint: "make it readable by the user running wbuild, or keep it out of the sync rule's directory")
            }
            let target = path.containerPath
            let promoted = path.containerPath != reported.containerPath
            func change(_ operation: SyncOperation) -> SyncChange {
                SyncChange(projectPath: path.projectPath, operation: operation, levelsBelowRule: path.levelsBelowRule)
            }
            switch entry {
            case .gone:
                removes[target] = change(.remove(containerPath: target))
            case .special:
                // Not synced; standing in for a subtree, it still means the subtree is gone.
                if promoted { removes[target] = change(.remove(containerPath: target)) }
            case .directory(let mode):
                if path.replacesImage { removes[target] = change(.remove(containerPath: target)) }
                creates[target] = change(.makeDirectory(containerPath: target, mode: mode))
                created.append(path)
            case .file(let bytes, let mode):
                creates[target] = change(.writeFile(containerPath: target, bytes: bytes, mode: mode))
                created.append(path)
            case .symlink(let linkTarget):
                removes[target] = change(.remove(containerPath: target))
                creates[target] = change(.makeSymlink(containerPath: target, target: linkTarget))
                created.append(path)
            }
        }
        // Every directory on the way to what is made, as the host has it now (its mode too), so
        // a parent the container lacks, or still holds as a link or a file, is right before its
        // entries arrive, and a parent's mode is the host's even when its own event was missed.
        for path in created {
            guard let levels = path.levelsBelowRule, levels > 0 else { continue }
            for levelsUp in 1...levels {
                let ancestor = path.ancestor(levelsUp: levelsUp)
                guard creates[ancestor.containerPath] == nil else { break }
                guard let mode = directories.known[ancestor.hostPath] ?? nil else { break }
                creates[ancestor.containerPath] = SyncChange(projectPath: ancestor.projectPath,
                                                             operation: .makeDirectory(containerPath: ancestor.containerPath, mode: mode),
                                                             levelsBelowRule: ancestor.levelsBelowRule)
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

    /// How many levels up the highest ancestor of `path` (inside the project) is that is not a
    /// directory on the host now; nil when all of them are directories.
    private static func highestNonDirectoryAncestor(of path: SyncPath,
                                                    directories: inout DirectoryModes) throws(SystemError) -> Int? {
        let components = path.projectPath.split(separator: "/")
        guard components.count > 1, path.hostPath.hasSuffix("/" + path.projectPath) else { return nil }
        var ancestor = String(path.hostPath.dropLast(path.projectPath.utf8.count + 1))
        for (index, component) in components.dropLast().enumerated() {
            ancestor += "/" + component
            if try directories.mode(of: ancestor) == nil { return components.count - 1 - index }
        }
        return nil
    }
}

/// The host directories a batch has looked at, by host path: their mode, or nil when the path
/// is not a directory (`lstat`: a link to one is not).
struct DirectoryModes {
    private(set) var known: [String: UInt32?] = [:]

    mutating func mode(of path: String) throws(SystemError) -> UInt32? {
        if let cached = known[path] { return cached }
        let mode = try HostEntry.directoryMode(path)
        known[path] = .some(mode)
        return mode
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
