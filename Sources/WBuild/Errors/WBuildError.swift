/// Every error the facade reports: what happened, where, what to do, and the exit code the
/// command line uses for it (DESIGN.md: 2 usage or project file, 3 engine missing, 1 otherwise).
public struct WBuildError: Error, Sendable, CustomStringConvertible {
    /// Broad class of failure; decides the exit code.
    public enum Kind: Sendable, Equatable {
        /// A bad command line or target name.
        case usage
        /// `wbuild.json` is missing, malformed or invalid, or the graph it describes is (cycles).
        case projectFile
        /// The container engine is missing or not answering.
        case engineUnavailable
        /// Anything else that stopped the command (I/O on `.wbuild/`, a node failure surfaced as an error).
        case failed
    }

    public var kind: Kind
    /// The full message; may span several lines (one per diagnostic).
    public var message: String
    public var hint: String?

    public init(_ kind: Kind, _ message: String, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
    }

    public var exitCode: Int32 {
        switch kind {
        case .usage, .projectFile: return 2
        case .engineUnavailable: return 3
        case .failed: return 1
        }
    }

    public var description: String {
        guard let hint else { return message }
        return "\(message)\nhint: \(hint)"
    }
}
