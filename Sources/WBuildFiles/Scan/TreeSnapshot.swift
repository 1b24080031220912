import WBuildCore

/// The files of a source set at one moment, sorted by path (UTF-8 byte order), and the
/// tree hash over (path, kind, executable bit, digest) of each: equal hashes mean equal inputs.
///
/// The tree hash is built from a sum of per-entry hashes (`TreeHashSum`), so a rescan that
/// changes k entries updates it in O(k), and any route to the same tree gives the same hash.
public struct TreeSnapshot: Sendable, Equatable {
    /// Entries sorted by `relativePath` in byte order, without duplicates.
    public let entries: [FileEntry]
    public let treeHash: FileDigest
    /// The sum `treeHash` is made from, kept so a rescan can update it.
    let hashSum: TreeHashSum

    /// Builds a snapshot from entries in any order.
    public init(entries: [FileEntry]) {
        self.init(sortedEntries: entries.sorted { PathOrder.precedes($0.relativePath, $1.relativePath) })
    }

    init(sortedEntries: [FileEntry]) {
        self.init(sortedEntries: sortedEntries, hashSum: TreeHashSum(sortedEntries))
    }

    /// `hashSum` must be the sum over `sortedEntries` (a rescan updates the old one).
    init(sortedEntries: [FileEntry], hashSum: TreeHashSum) {
        entries = sortedEntries
        self.hashSum = hashSum
        treeHash = hashSum.treeHash
    }

    /// The snapshot of an empty tree.
    public static let empty = TreeSnapshot(sortedEntries: [])

    /// The entry at `relativePath`, if any (binary search).
    public subscript(relativePath: String) -> FileEntry? {
        let index = lowerBound(relativePath)
        guard index < entries.count, entries[index].relativePath == relativePath else { return nil }
        return entries[index]
    }

    /// Relative paths of all entries, in order.
    public var paths: [String] { entries.map(\.relativePath) }

    /// What changed going from `old` to this snapshot.
    public func diff(from old: TreeSnapshot) -> TreeChanges {
        var changes = TreeChanges()
        if old.treeHash == treeHash && old.entries.count == entries.count { return changes }
        var oldIndex = 0, newIndex = 0
        while oldIndex < old.entries.count || newIndex < entries.count {
            if oldIndex == old.entries.count {
                changes.added.append(entries[newIndex].relativePath)
                newIndex += 1
            } else if newIndex == entries.count {
                changes.removed.append(old.entries[oldIndex].relativePath)
                oldIndex += 1
            } else {
                let before = old.entries[oldIndex], after = entries[newIndex]
                let order = PathOrder.compare(before.relativePath, after.relativePath)
                if order == 0 {
                    if !before.sameContent(as: after) { changes.modified.append(after.relativePath) }
                    oldIndex += 1
                    newIndex += 1
                } else if order < 0 {
                    changes.removed.append(before.relativePath)
                    oldIndex += 1
                } else {
                    changes.added.append(after.relativePath)
                    newIndex += 1
                }
            }
        }
        return changes
    }

    /// Index of the first entry whose path is not before `path`.
    func lowerBound(_ path: String) -> Int {
        withBytes(path) { target in
            var low = 0, high = entries.count
            while low < high {
                let middle = (low + high) / 2
                let order = withBytes(entries[middle].relativePath) { PathOrder.compare($0, target) }
                if order < 0 { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }
}
