/// A subtree that could not be watched with inotify (out of watches), watched instead by
/// stat-walking it every poll interval and comparing (mtime, size, inode) per entry.
struct PolledSubtree {
    /// The subtree's root, relative to the watched root.
    let path: String
    private(set) var stamps: [String: FileStamp]

    /// Takes the first snapshot; `stamps` lists what is there now.
    init(path: String, root: String, isIgnored: (String, Bool) -> Bool) {
        self.path = path
        self.stamps = PolledSubtree.snapshot(of: path, root: root, isIgnored: isIgnored)
    }

    /// Walks the subtree again and returns every path created, deleted or changed since the
    /// previous walk.
    mutating func poll(root: String, isIgnored: (String, Bool) -> Bool) -> [String] {
        let current = PolledSubtree.snapshot(of: path, root: root, isIgnored: isIgnored)
        var changed: [String] = []
        for (path, stamp) in current {
            guard let previous = stamps[path] else {
                changed.append(path)
                continue
            }
            // A directory's mtime moves whenever an entry is added or removed, and those
            // entries are reported themselves: compare directories by identity only.
            let same = stamp.isDirectory && previous.isDirectory ? stamp.inode == previous.inode : stamp == previous
            if !same { changed.append(path) }
        }
        for path in stamps.keys where current[path] == nil {
            changed.append(path)
        }
        stamps = current
        return changed
    }

    /// Stamps of `subtree` and everything under it that is not ignored.
    static func snapshot(of subtree: String, root: String, isIgnored: (String, Bool) -> Bool) -> [String: FileStamp] {
        var stamps: [String: FileStamp] = [:]
        guard let top = FileStamp.read(RelativePath.absolute(root: root, subtree)) else { return stamps }
        stamps[subtree] = top
        guard top.isDirectory else { return stamps }
        var pending = [subtree]
        while let directory = pending.popLast() {
            guard case .success(let entries) = DirectoryListing.entries(of: RelativePath.absolute(root: root, directory)) else {
                continue
            }
            for entry in entries {
                let path = RelativePath.join(directory, entry.name)
                if isIgnored(path, entry.isDirectory) { continue }
                guard let stamp = FileStamp.read(RelativePath.absolute(root: root, path)) else { continue }
                stamps[path] = stamp
                if stamp.isDirectory { pending.append(path) }
            }
        }
        return stamps
    }
}
