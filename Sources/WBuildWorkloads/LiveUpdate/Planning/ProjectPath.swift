/// Helpers for project-relative paths as the planner compares them: cleaned of `./`, duplicate
/// and trailing slashes, so `api/./src/` and `api/src` are the same path.
enum ProjectPath {
    /// `path` without `.` segments, empty segments or a trailing slash; `"."` and `""` become `""`
    /// (the project root). `..` segments are kept: they never match a rule below the root.
    static func clean(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true)
            .filter { $0 != "." }
            .joined(separator: "/")
    }

    /// The part of `path` below `directory`, or nil when `path` is not `directory` or beneath it.
    /// `""` as `directory` is the root, which contains everything.
    static func relative(_ path: String, below directory: String) -> String? {
        if directory.isEmpty { return path }
        if path == directory { return "" }
        guard path.hasPrefix(directory), path.utf8.dropFirst(directory.utf8.count).first == UInt8(ascii: "/") else {
            return nil
        }
        return String(path.dropFirst(directory.count + 1))
    }

    /// `base` and `relative` joined by exactly one `/`.
    static func join(_ base: String, _ relative: String) -> String {
        if relative.isEmpty { return base }
        if base.hasSuffix("/") { return base + relative }
        return base + "/" + relative
    }
}
