import WBuildPatterns

/// A compiled glob over `/`-separated relative paths: `*` (within one name), `**`
/// (any number of directories, including none: `a/**/b`, `**/*.js`, `src/**`), `?`,
/// `[abc]`, `[a-z]`, `[!x]`/`[^x]`, and `\` escapes. Compile once, match many paths.
///
/// As an input set, a pattern that names a directory covers everything under it:
/// use `matchesOrContains(_:)`, which is true when the pattern matches the path or any
/// of its parent directories (`web/src` covers `web/src/app/main.js`).
public struct Glob: Sendable, Equatable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    public let dialect: GlobDialect
    let tokens: [GlobToken]
    private let matcher: GlobMatcher
    /// Set when the pattern has no wildcards: matching is a byte comparison.
    private let literalBytes: [UInt8]?

    /// Compiles `pattern`; throws `FilesError` (`.malformedPattern`, with the position) when
    /// a bracket is unclosed or empty, or a `\` ends the pattern.
    public init(_ pattern: String, dialect: GlobDialect = .standard) throws(FilesError) {
        self.pattern = pattern
        self.dialect = dialect
        do throws(PatternError) {
            tokens = try GlobCompiler(pattern: pattern, dialect: dialect).compile()
        } catch {
            throw FilesError(.malformedPattern, "malformed pattern: \(error.reason)", pattern: pattern, position: error.position,
                             hint: "escape special characters with '\\' or close the bracket")
        }
        matcher = GlobMatcher(tokens: tokens)
        if tokens.isEmpty {
            literalBytes = []
        } else if tokens.count == 1, case .literal(let bytes) = tokens[0] {
            literalBytes = bytes
        } else {
            literalBytes = nil
        }
    }

    public var description: String { pattern }

    public static func == (lhs: Glob, rhs: Glob) -> Bool {
        lhs.pattern == rhs.pattern && lhs.dialect == rhs.dialect
    }

    /// Whether the whole of `relativePath` matches the pattern.
    public func matches(_ relativePath: String) -> Bool {
        withBytes(relativePath) { matches(bytes: $0) }
    }

    /// Whether the pattern matches `relativePath` or one of its parent directories.
    public func matchesOrContains(_ relativePath: String) -> Bool {
        withBytes(relativePath) { matchesOrContains(bytes: $0) }
    }

    /// Whether some path strictly beneath `directory` could match: false means a walker
    /// may skip the directory as far as this pattern is concerned.
    public func couldMatchBeneath(directory: String) -> Bool {
        let prefix = directory.isEmpty || directory == "." ? "" : directory + "/"
        return withBytes(prefix) { matchesPrefix(bytes: $0) }
    }

    func matches(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if let literalBytes {
            return literalBytes.count == bytes.count && literalBytes.withUnsafeBufferPointer { $0.elementsEqual(bytes) }
        }
        return matcher.matches(bytes)
    }

    func matchesOrContains(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if matches(bytes: bytes) { return true }
        for index in 0..<bytes.count where bytes[index] == 0x2F {
            if matches(bytes: UnsafeBufferPointer(rebasing: bytes[0..<index])) { return true }
        }
        return false
    }

    func matchesPrefix(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        matcher.matches(bytes, partial: true)
    }
}
