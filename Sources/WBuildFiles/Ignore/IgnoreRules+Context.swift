/// Which rules matched a directory on the way down a build-context walk: the docker CLI's
/// `patternmatcher.MatchInfo`, handed from each directory to its children.
public struct ContextMatch: Sendable, Equatable {
    /// One flag per rule: whether it matched the directory (itself or through a parent).
    /// Empty for the context root, whose children are matched on their own path only.
    var parentMatched: [Bool]

    /// The context root.
    public static let root = ContextMatch(parentMatched: [])
}

/// How a build-context walk treats one path, as the docker CLI's `TarWithOptions` does.
public enum ContextVerdict: Sendable, Equatable {
    /// Sent (a directory is sent and walked into).
    case sent(ContextMatch)
    /// Ignored, but walked into because a `!` exception names something beneath it: the
    /// directory itself is not sent, so the engine creates it (mode 0755) if anything inside is.
    case walkedOnly(ContextMatch)
    /// Ignored, and nothing beneath it is looked at.
    case skipped
}

extension IgnoreRules {
    /// `.dockerignore` as the docker CLI applies it to a build context (moby `patternmatcher`
    /// `MatchesUsingParentResults` in `TarWithOptions`'s walk), which is not quite
    /// `isIgnored(_:)`: a rule skipped for a directory (an inclusion after the directory was
    /// already ignored, an exception while it was not) is later tried on the child's own path
    /// only, never on its parents. `parent` is the verdict's match of the containing directory.
    public func contextMatch(_ relativePath: String, parent: ContextMatch) -> (ignored: Bool, match: ContextMatch) {
        if rules.isEmpty { return (false, parent) }
        return withBytes(relativePath) { bytes in
            var matched = false
            var flags = [Bool](repeating: false, count: rules.count)
            for (index, rule) in rules.enumerated() {
                var match = parent.parentMatched.isEmpty ? false : parent.parentMatched[index]
                if !match {
                    if rule.isException != matched { continue }
                    match = rule.matches(bytes: bytes)
                }
                flags[index] = match
                if match { matched = !rule.isException }
            }
            return (matched, ContextMatch(parentMatched: flags))
        }
    }

    /// What the walk does with `relativePath` (inside a directory whose match is `parent`).
    public func contextVerdict(_ relativePath: String, isDirectory: Bool, parent: ContextMatch) -> ContextVerdict {
        let (ignored, match) = contextMatch(relativePath, parent: parent)
        guard ignored else { return .sent(match) }
        guard isDirectory, hasExceptions else { return .skipped }
        // The CLI's test is textual: an exception whose pattern starts with "dir/".
        let directory = relativePath + "/"
        for rule in rules where rule.isException && (rule.pattern + "/").hasPrefix(directory) {
            return .walkedOnly(match)
        }
        return .skipped
    }

    /// The verdict for a path found on its own (a rescan): the walk's verdicts for each
    /// ancestor from the root down, then for the path; `.skipped` when an ancestor is.
    public func contextVerdict(ofPath relativePath: String, isDirectory: Bool) -> ContextVerdict {
        let components = relativePath.split(separator: "/")
        var match = ContextMatch.root
        var prefix = ""
        for (index, component) in components.enumerated() {
            prefix += prefix.isEmpty ? String(component) : "/" + component
            let last = index == components.count - 1
            let verdict = contextVerdict(prefix, isDirectory: last ? isDirectory : true, parent: match)
            if last { return verdict }
            switch verdict {
            case .sent(let next), .walkedOnly(let next): match = next
            case .skipped: return .skipped
            }
        }
        return .sent(match)
    }
}
