import WBuildPatterns
import WBuildSystem

/// A `.dockerignore`-style rule list with Docker's semantics (moby `patternmatcher`):
/// patterns are cleaned paths with any leading `/` removed; a rule that matches a path
/// or any of its parent directories applies to it; `!` re-includes; the **last**
/// matching rule wins. Directory-ness does not change the outcome (`build/` is `build`),
/// so `isDirectory` only matters for pruning decisions the caller makes.
public struct IgnoreRules: Sendable, Equatable {
    /// The rules in file order.
    public let rules: [IgnoreRule]
    /// Whether any rule is a `!` exception.
    public let hasExceptions: Bool

    /// No rules: nothing is ignored.
    public static let none = IgnoreRules(rules: [])

    public init(rules: [IgnoreRule]) {
        self.rules = rules
        hasExceptions = rules.contains { $0.isException }
    }

    /// Compiles pattern strings (one rule each, already stripped of comments).
    public init(patterns: [String]) throws(FilesError) {
        var rules: [IgnoreRule] = []
        for pattern in patterns where !pattern.trimmingWhitespace.isEmpty {
            rules.append(try IgnoreRule(pattern))
        }
        self.init(rules: rules)
    }

    /// Whether `relativePath` (clean, `/`-separated, relative to the context root) is ignored.
    /// The root itself (`""` or `"."`) is never ignored, as in Docker.
    public func isIgnored(_ relativePath: String, isDirectory: Bool = false) -> Bool {
        if rules.isEmpty || relativePath.isEmpty || relativePath == "." { return false }
        return withBytes(relativePath) { isIgnored(bytes: $0) }
    }

    func isIgnored(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var ignored = false
        for rule in rules where rule.isException == ignored {
            if rule.matchesOrParentMatches(bytes: bytes) { ignored = !rule.isException }
        }
        return ignored
    }

    /// Whether a walker may skip everything under `relativePath`: the directory is ignored
    /// and no `!` rule could re-include it or anything beneath it.
    public func canPruneDirectory(_ relativePath: String) -> Bool {
        if rules.isEmpty { return false }
        return withBytes(relativePath) { bytes in
            guard isIgnored(bytes: bytes) else { return false }
            guard hasExceptions else { return true }
            let prefix = Array(bytes) + [0x2F]
            return prefix.withUnsafeBufferPointer { prefix in
                for rule in rules where rule.isException {
                    // An exception matching the directory or a parent re-includes all of it;
                    // one that could match a descendant re-includes that descendant.
                    if rule.matchesOrParentMatches(bytes: bytes) || rule.glob.matchesPrefix(bytes: prefix) {
                        return false
                    }
                    if rule.pattern.hasPrefix("**"), !rule.pattern.hasPrefix("**/") { return false }
                }
                return true
            }
        }
    }

    /// Parses `.dockerignore` text as moby's `ignorefile.ReadAll` does: a UTF-8 BOM is
    /// dropped, lines starting with `#` are comments, blank lines are skipped, and each
    /// pattern is cleaned with a leading `/` removed (keeping any `!`).
    public static func parse(_ text: String) throws(FilesError) -> IgnoreRules {
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        var rules: [IgnoreRule] = []
        for rawLine in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = String(rawLine)
            if line.hasPrefix("#") { continue }
            line = line.trimmingWhitespace
            if line.isEmpty { continue }
            var exception = false
            if line.hasPrefix("!") {
                exception = true
                line = String(line.dropFirst()).trimmingWhitespace
            }
            if !line.isEmpty {
                line = PathCleaning.clean(line)
                if line.count > 1, line.hasPrefix("/") { line.removeFirst() }
            }
            rules.append(try IgnoreRule(exception ? "!" + line : line))
        }
        return IgnoreRules(rules: rules)
    }

    /// Reads and parses a `.dockerignore`-style file; a missing file means no rules.
    public static func load(file path: String) throws(FilesError) -> IgnoreRules {
        let bytes: [UInt8]?
        do {
            bytes = try AtomicFile.read(path)
        } catch {
            throw FilesError(.unreadableIgnoreFile, "cannot read ignore file", path: path, cause: error,
                             hint: "check the file's permissions")
        }
        guard let bytes else { return .none }
        do {
            return try parse(String(decoding: bytes, as: UTF8.self))
        } catch {
            var located = error
            located.path = path
            throw located
        }
    }
}
