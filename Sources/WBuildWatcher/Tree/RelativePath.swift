/// Helpers for paths relative to the watched root: `""` is the root, components are
/// joined with `/`, there is no leading or trailing slash.
enum RelativePath {
    static func join(_ directory: String, _ name: String) -> String {
        directory.isEmpty ? name : directory + "/" + name
    }

    /// `path` is `ancestor` or lies under it.
    static func isWithin(_ path: String, _ ancestor: String) -> Bool {
        if ancestor.isEmpty { return true }
        guard path.hasPrefix(ancestor) else { return false }
        return path.count == ancestor.count || path.dropFirst(ancestor.count).first == "/"
    }

    /// `path` (which lies within `oldPrefix`) re-rooted under `newPrefix`.
    static func rebase(_ path: String, from oldPrefix: String, to newPrefix: String) -> String {
        let suffix = path.dropFirst(oldPrefix.count)  // "" or "/rest"
        if newPrefix.isEmpty { return String(suffix.drop(while: { $0 == "/" })) }
        if oldPrefix.isEmpty { return suffix.isEmpty ? newPrefix : newPrefix + "/" + suffix }
        return newPrefix + suffix
    }

    static func absolute(root: String, _ relative: String) -> String {
        relative.isEmpty ? root : (root.hasSuffix("/") ? root + relative : root + "/" + relative)
    }
}
