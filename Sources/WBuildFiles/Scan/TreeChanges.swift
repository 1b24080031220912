/// What differs between two snapshots of a tree, as relative paths in path order.
public struct TreeChanges: Sendable, Equatable {
    public var added: [String]
    /// Present in both, with different content, kind, mode or hard-link identity.
    public var modified: [String]
    public var removed: [String]

    public init(added: [String] = [], modified: [String] = [], removed: [String] = []) {
        self.added = added
        self.modified = modified
        self.removed = removed
    }

    public var isEmpty: Bool { added.isEmpty && modified.isEmpty && removed.isEmpty }

    /// Every changed path, in path order.
    public var allPaths: [String] { (added + modified + removed).sorted(by: PathOrder.precedes) }

    /// A short list for a build reason, e.g. `api/src/main.js, api/src/util.js and 3 more`;
    /// `""` when nothing changed.
    public func summary(limit: Int = 3) -> String {
        let paths = allPaths
        guard !paths.isEmpty else { return "" }
        let shown = paths.prefix(max(1, limit)).joined(separator: ", ")
        let rest = paths.count - min(paths.count, max(1, limit))
        return rest > 0 ? "\(shown) and \(rest) more" : shown
    }
}
