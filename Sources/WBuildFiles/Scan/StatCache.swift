/// Remembers, per relative path, the `lstat` fingerprint a file had when it was hashed and
/// the digest it had then, so a re-scan reads only files whose fingerprint changed.
///
/// Entries are only recorded when not racily clean (see `StatFingerprint`), so content,
/// not mtime, decides. Persist it with `encode()` / `decode(_:)` (compact binary).
///
/// Storage: a compact sorted table (`SortedPathTable`: what was loaded, or what the last full
/// scan kept) plus a small dictionary of later changes, so 100k entries cost ~10 MB and load
/// without hashing a single path; a full scan folds the changes back into the table.
public struct StatCache: Sendable, Equatable {
    /// A remembered fingerprint and the digest the content had.
    public struct Entry: Sendable, Hashable {
        public var fingerprint: StatFingerprint
        public var digest: FileDigest
        public init(fingerprint: StatFingerprint, digest: FileDigest) {
            self.fingerprint = fingerprint
            self.digest = digest
        }
    }

    /// Sorted entries from disk or from the last `compact`.
    private(set) var table: SortedPathTable<Entry>
    /// Changes since: a value replaces or adds, `nil` removes a path of `table`.
    private var changes: [String: Entry?] = [:]
    public private(set) var count: Int

    public init() {
        table = SortedPathTable()
        count = 0
    }

    init(table: SortedPathTable<Entry>) {
        self.table = table
        count = table.count
    }

    public var isEmpty: Bool { count == 0 }

    /// The cached digest for `relativePath` when the file still has `fingerprint`.
    public func digest(for relativePath: String, matching fingerprint: StatFingerprint) -> FileDigest? {
        var hint = 0
        return digest(for: relativePath, matching: fingerprint, hint: &hint)
    }

    /// `digest(for:matching:)` for lookups in path order (a walk): `hint` makes each O(1).
    func digest(for relativePath: String, matching fingerprint: StatFingerprint, hint: inout Int) -> FileDigest? {
        guard let entry = entry(relativePath, hint: &hint), entry.fingerprint == fingerprint else { return nil }
        return entry.digest
    }

    /// The raw entry for `relativePath`, if any.
    public subscript(relativePath: String) -> Entry? {
        get {
            var hint = 0
            return entry(relativePath, hint: &hint)
        }
        set {
            let existed = self[relativePath] != nil
            count += (newValue != nil ? 1 : 0) - (existed ? 1 : 0)
            var hint = 0
            let inTable = withBytes(relativePath) { table.index(of: $0, hint: &hint) } != nil
            if newValue == nil && !inTable {
                changes.removeValue(forKey: relativePath)
            } else {
                changes[relativePath] = .some(newValue)
            }
        }
    }

    /// Forgets `relativePath`.
    public mutating func remove(_ relativePath: String) {
        self[relativePath] = nil
    }

    /// Relative paths with entries, in path order.
    public var paths: [String] {
        var paths: [String] = []
        paths.reserveCapacity(count)
        forEachInOrder { path, _ in paths.append(String(decoding: path, as: UTF8.self)) }
        return paths
    }

    public static func == (lhs: StatCache, rhs: StatCache) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var left: [([UInt8], Entry)] = []
        left.reserveCapacity(lhs.count)
        lhs.forEachInOrder { left.append((Array($0), $1)) }
        var index = 0, equal = true
        rhs.forEachInOrder { path, entry in
            guard equal, index < left.count, left[index].0.elementsEqual(path), left[index].1 == entry else {
                equal = false
                return
            }
            index += 1
        }
        return equal && index == left.count
    }

    private func entry(_ relativePath: String, hint: inout Int) -> Entry? {
        if !changes.isEmpty, let changed = changes[relativePath] { return changed }
        guard let index = withBytes(relativePath, { table.index(of: $0, hint: &hint) }) else { return nil }
        return table.values[index]
    }

    /// Calls `body` for every entry, in path order.
    func forEachInOrder(_ body: (UnsafeBufferPointer<UInt8>, Entry) -> Void) {
        if changes.isEmpty {
            for index in 0..<table.count { table.withPath(at: index) { body($0, table.values[index]) } }
            return
        }
        let changed = changes.keys.sorted(by: PathOrder.precedes)
        var next = 0
        for index in 0..<table.count {
            table.withPath(at: index) { path in
                while next < changed.count, withBytes(changed[next], { PathOrder.compare($0, path) }) < 0 {
                    if let entry = changes[changed[next]] ?? nil { withBytes(changed[next]) { body($0, entry) } }
                    next += 1
                }
                if next < changed.count, withBytes(changed[next], { PathOrder.compare($0, path) }) == 0 {
                    if let entry = changes[changed[next]] ?? nil { body(path, entry) }
                    next += 1
                } else {
                    body(path, table.values[index])
                }
            }
        }
        for key in changed[next...] {
            if let entry = changes[key] ?? nil { withBytes(key) { body($0, entry) } }
        }
    }

    /// Keeps only entries for `entries`' files (sorted, as a snapshot holds them) and folds
    /// the changes into one sorted table, so the cache does not grow without bound and
    /// lookups stay O(1) in walk order. Skipped (no second table in memory) when every entry
    /// belongs to a file and the changes are few.
    mutating func compact(keeping entries: some Sequence<FileEntry>) {
        var hint = 0, files = 0, present = 0
        for file in entries where file.kind == .file {
            files += 1
            if entry(file.relativePath, hint: &hint) != nil { present += 1 }
        }
        if present == count && changes.count <= max(64, table.count / 8) { return }
        var kept = SortedPathTable<Entry>()
        kept.reserve(count: files, pathBytes: files * 24)
        hint = 0
        for file in entries where file.kind == .file {
            guard let value = entry(file.relativePath, hint: &hint) else { continue }
            withBytes(file.relativePath) { _ = kept.append($0, value) }
        }
        self = StatCache(table: kept)
    }
}
