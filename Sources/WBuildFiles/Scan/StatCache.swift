/// Remembers, per relative path, the `lstat` fingerprint a file had when it was hashed and
/// the digest it had then, so a re-scan reads only files whose fingerprint changed.
///
/// Entries are only recorded when not racily clean (see `StatFingerprint`), so content,
/// not mtime, decides. Persist it with `encode()` / `decode(_:)` (compact binary).
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

    var entries: [String: Entry]

    public init() { entries = [:] }

    init(entries: [String: Entry]) { self.entries = entries }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// The cached digest for `relativePath` when the file still has `fingerprint`.
    public func digest(for relativePath: String, matching fingerprint: StatFingerprint) -> FileDigest? {
        guard let entry = entries[relativePath], entry.fingerprint == fingerprint else { return nil }
        return entry.digest
    }

    /// The raw entry for `relativePath`, if any.
    public subscript(relativePath: String) -> Entry? {
        get { entries[relativePath] }
        set { entries[relativePath] = newValue }
    }

    /// Forgets `relativePath`.
    public mutating func remove(_ relativePath: String) {
        entries.removeValue(forKey: relativePath)
    }

    /// Relative paths with entries, in path order.
    public var paths: [String] { entries.keys.sorted(by: PathOrder.precedes) }
}
