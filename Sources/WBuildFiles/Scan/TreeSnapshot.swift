import WBuildCore

/// The files of a source set at one moment, sorted by path (UTF-8 byte order), and the
/// tree hash over (path, kind, mode, digest) of each: equal hashes mean equal inputs.
///
/// The tree hash is built from a sum of per-entry hashes (`TreeHashSum`), so a rescan that
/// changes k entries updates it in O(k), and any route to the same tree gives the same hash.
public struct TreeSnapshot: Sendable, Equatable {
    /// Entries sorted by `relativePath` in byte order, without duplicates.
    public let entries: TreeEntries
    public let treeHash: FileDigest
    /// The sum `treeHash` is made from, kept so a rescan can update it.
    let hashSum: TreeHashSum

    /// Builds a snapshot from entries in any order.
    public init(entries: some Sequence<FileEntry>) {
        self.init(sortedEntries: entries.sorted { PathOrder.precedes($0.relativePath, $1.relativePath) })
    }

    init(sortedEntries: [FileEntry]) {
        self.init(sortedEntries: sortedEntries, hashSum: TreeHashSum(sortedEntries))
    }

    /// `hashSum` must be the sum over `sortedEntries`.
    init(sortedEntries: [FileEntry], hashSum: TreeHashSum) {
        self.init(entries: TreeEntries(sorted: sortedEntries), hashSum: hashSum)
    }

    /// `hashSum` must be the sum over `entries` (a rescan updates the old one).
    init(entries: TreeEntries, hashSum: TreeHashSum) {
        self.entries = entries
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
        var olds = old.entries.makeIterator(), news = entries.makeIterator()
        var before = olds.next(), after = news.next()
        while true {
            switch (before, after) {
            case (nil, nil):
                return changes
            case (let gone?, nil):
                changes.removed.append(gone.relativePath)
                before = olds.next()
            case (nil, let added?):
                changes.added.append(added.relativePath)
                after = news.next()
            case (let was?, let now?):
                let order = PathOrder.compare(was.relativePath, now.relativePath)
                if order == 0 {
                    if !was.sameContent(as: now) { changes.modified.append(now.relativePath) }
                    before = olds.next()
                    after = news.next()
                } else if order < 0 {
                    changes.removed.append(was.relativePath)
                    before = olds.next()
                } else {
                    changes.added.append(now.relativePath)
                    after = news.next()
                }
            }
        }
    }

    /// Index of the first entry whose path is not before `path`.
    func lowerBound(_ path: String) -> Int {
        withBytes(path) { entries.lowerBound($0) }
    }
}
