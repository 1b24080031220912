/// Why a pattern does not compile, and where: the one error of `WBuildPatterns`. Each caller
/// words it in its own error type (`FilesError` in WBuildFiles, a diagnostic in WBuildSpec).
public struct PatternError: Error, Sendable, Equatable {
    /// What is wrong, in a few words (`unclosed '['`).
    public let reason: String
    /// Zero-based offset, in Unicode scalars, into the pattern where the fault is.
    public let position: Int

    public init(reason: String, position: Int) {
        self.reason = reason
        self.position = position
    }
}
