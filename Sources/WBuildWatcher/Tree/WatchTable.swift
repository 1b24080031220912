/// Which inotify watch descriptor watches which directory (relative to the root), kept
/// correct across directory renames (every descendant is re-keyed) and `IN_IGNORED`.
struct WatchTable {
    private(set) var pathByWatch: [Int32: String] = [:]
    private(set) var watchByPath: [String: Int32] = [:]

    var count: Int { pathByWatch.count }

    func path(of watch: Int32) -> String? { pathByWatch[watch] }
    func watch(at path: String) -> Int32? { watchByPath[path] }

    /// Records that `watch` watches `path`. A watch the kernel handed back for an inode it
    /// already watched (the directory was renamed under us) moves to the new path.
    mutating func set(_ watch: Int32, path: String) {
        if let old = pathByWatch[watch], watchByPath[old] == watch { watchByPath[old] = nil }
        if let previous = watchByPath[path], previous != watch { pathByWatch[previous] = nil }
        pathByWatch[watch] = path
        watchByPath[path] = watch
    }

    /// Forgets `watch` (after `IN_IGNORED`, or after removing it).
    mutating func remove(_ watch: Int32) {
        guard let path = pathByWatch.removeValue(forKey: watch) else { return }
        if watchByPath[path] == watch { watchByPath[path] = nil }
    }

    /// Re-keys `from` and every directory under it to live under `to` (a rename inside the tree).
    mutating func rename(_ from: String, to: String) {
        let moved = pathByWatch.filter { RelativePath.isWithin($0.value, from) }
        for (watch, path) in moved where watchByPath[path] == watch { watchByPath[path] = nil }
        for (watch, path) in moved {
            let newPath = RelativePath.rebase(path, from: from, to: to)
            pathByWatch[watch] = newPath
            watchByPath[newPath] = watch
        }
    }

    /// The watches on `subtree` and every directory under it.
    func watches(within subtree: String) -> [Int32] {
        pathByWatch.compactMap { RelativePath.isWithin($0.value, subtree) ? $0.key : nil }
    }

    /// Every watch descriptor currently recorded.
    var allWatches: [Int32] { Array(pathByWatch.keys) }
}
