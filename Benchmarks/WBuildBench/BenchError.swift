/// Why a benchmark could not measure something: what happened, where, the command's own
/// words (its stderr), and what to do. A suite that meets one reports it in its table and
/// goes on; only a broken setup (no temp dir, bad arguments) stops the whole run.
struct BenchError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, for callers that react differently.
    enum Code: Sendable, Equatable {
        /// A command (wbuild or a peer) could not start, or exited non-zero.
        case commandFailed
        /// A command did not show what was expected (an event, a file) before a deadline.
        case timedOut
        /// Writing or reading the benchmark's own files failed.
        case fileSystem
        /// A figure was measured but may not mean what its row says (a "no-op" that rebuilt).
        case suspectFigure
        /// The command line of `wbuild-bench` itself is wrong.
        case usage
    }

    var code: Code
    /// One line: what failed and where.
    var message: String
    /// More context, e.g. the last lines of the command's stderr.
    var detail: String?
    /// What the person running the benchmark can do.
    var hint: String?

    init(_ code: Code, _ message: String, detail: String? = nil, hint: String? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
        self.hint = hint
    }

    var description: String {
        var text = message
        if let detail, !detail.isEmpty {
            text += "\n" + detail.split(separator: "\n", omittingEmptySubsequences: false)
                .map { "    " + $0 }.joined(separator: "\n")
        }
        if let hint { text += "\n  → " + hint }
        return text
    }
}
