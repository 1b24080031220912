/// Why a live update could not be planned or applied: what happened, where (container, path,
/// step), the cause, and what to do. One error type for the whole live-update feature.
public struct LiveUpdateError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure; grows as the feature does.
    public enum Code: Sendable, Equatable {
        /// A glob in the rules does not compile.
        case invalidRules
        /// Copying or deleting files in a container failed.
        case syncFailed
        /// A `run` step exited non-zero: the user's error, shown with its output; no rebuild.
        case stepFailed
        /// A string `run` step needs `/bin/sh`, which the image lacks.
        case noShell
        /// The supervisor's channel could not be connected to (the executor then falls back to the engine).
        case supervisorUnreachable
        /// The supervisor broke off, or could not restart the process.
        case supervisorFailed
        /// The engine failed to restart the container.
        case restartFailed
        /// The readiness check did not pass.
        case notReady
        /// The sync ledger could not be read or written.
        case ledgerFailed
        /// The supervisor binary is missing from the build.
        case supervisorMissing
    }

    public var code: Code
    public var message: String
    /// The container the failure happened in, when there is one.
    public var container: String?
    /// For `.stepFailed`: the step's exit code and combined output.
    public var exitCode: Int?
    public var output: String?
    /// The underlying error's description.
    public var cause: String?
    /// What to do about it.
    public var hint: String?

    public init(_ code: Code, _ message: String, container: String? = nil, exitCode: Int? = nil, output: String? = nil,
                cause: (any Error)? = nil, hint: String? = nil) {
        self.code = code
        self.message = message
        self.container = container
        self.exitCode = exitCode
        self.output = output
        self.cause = cause.map { String(describing: $0) }
        self.hint = hint
    }

    public var description: String {
        var text = message
        if let container { text += " (container \(container.prefix(12)))" }
        if let exitCode { text += ", exit code \(exitCode)" }
        if let output, !output.isEmpty { text += "\n" + output }
        if let cause { text += ": \(cause)" }
        if let hint { text += "\nhint: \(hint)" }
        return text
    }
}
