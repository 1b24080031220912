/// Lexical path cleaning as Go's `filepath.Clean` does it, which is how Docker normalises
/// `.dockerignore` patterns: drop empty and `.` components, resolve `..` lexically,
/// `""` becomes `"."`.
public enum PathCleaning {
    /// `path` cleaned.
    public static func clean(_ path: String) -> String {
        if path.isEmpty { return "." }
        let rooted = path.hasPrefix("/")
        var components: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." {
                if let last = components.last, last != ".." {
                    components.removeLast()
                } else if !rooted {
                    components.append(component)
                }
                continue
            }
            components.append(component)
        }
        let joined = components.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// `text` without leading and trailing spaces, tabs, CR, LF, VT and FF (as `Character`s),
    /// as moby trims an ignore line (Go's `TrimSpace` for ASCII).
    public static func trimmingWhitespace(_ text: String) -> String {
        let isSpace: (Character) -> Bool = {
            $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\u{0B}" || $0 == "\u{0C}"
        }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(text[first...last])
    }
}
