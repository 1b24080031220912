import WBuildPatterns

/// One line of a `.dockerignore`: a cleaned pattern, and whether it re-includes (`!`).
public struct IgnoreRule: Sendable, Equatable, CustomStringConvertible {
    /// The cleaned pattern without its `!`.
    public let pattern: String
    /// `true` for `!pattern`: paths it matches are included again.
    public let isException: Bool
    let glob: Glob
    /// moby quirk: a pattern `**name` (wildcard-free after a leading `**` not followed by `/`)
    /// is a plain suffix test, so `**foo` matches `barfoo`.
    private let plainSuffix: [UInt8]?

    /// Parses one rule as moby's `patternmatcher.New` does: trims, cleans, takes a leading `!`.
    public init(_ line: String) throws(FilesError) {
        var text = PathCleaning.clean(line.trimmingWhitespace)
        var exception = false
        if text.hasPrefix("!") {
            guard text.count > 1 else {
                throw FilesError(.malformedPattern, "illegal exclusion pattern \"!\"", pattern: line, position: 0,
                                 hint: "write the path to re-include after the '!'")
            }
            exception = true
            text.removeFirst()
        }
        pattern = text
        isException = exception
        glob = try Glob(text, dialect: .docker)
        if text.hasPrefix("**"), !text.hasPrefix("**/"),
           !text.dropFirst(2).contains(where: { "*?[]\\".contains($0) }) {
            plainSuffix = Array(text.dropFirst(2).utf8)
        } else {
            plainSuffix = nil
        }
    }

    public var description: String { isException ? "!" + pattern : pattern }

    /// Whether this rule's pattern matches exactly `path` (no parent-directory logic).
    func matches(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if let plainSuffix {
            guard bytes.count >= plainSuffix.count else { return false }
            return plainSuffix.withUnsafeBufferPointer { suffix in
                UnsafeBufferPointer(rebasing: bytes[(bytes.count - suffix.count)...]).elementsEqual(suffix)
            }
        }
        return glob.matches(bytes: bytes)
    }

    /// Whether the pattern matches `path` or one of its parent directories.
    func matchesOrParentMatches(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if matches(bytes: bytes) { return true }
        for index in 0..<bytes.count where bytes[index] == 0x2F {
            if matches(bytes: UnsafeBufferPointer(rebasing: bytes[0..<index])) { return true }
        }
        return false
    }
}
