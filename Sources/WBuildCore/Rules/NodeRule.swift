/// What a node does: the node kinds (source, task, image, …) implement this in WBuildWorkloads.
///
/// The scheduler owns the decision whether to run: it combines `evaluate`'s fingerprint
/// (the node's own settings and inputs) with the output hashes of the nodes it consumes,
/// compares with the last successful record, asks `checkOutput`, and only then calls `run`.
public protocol NodeRule: Sendable {
    /// Fingerprints what the node itself decides on: its settings and, for sources, its files.
    /// Must be cheap when nothing changed (a stat pass, not a hash of every file).
    func evaluate(_ context: NodeContext) async throws(NodeFailure) -> Evaluation

    /// Whether the output recorded after the last success still exists and is unaltered
    /// (the image is still in the engine, the task's output files still hash the same).
    func checkOutput(_ record: NodeRecord, _ context: NodeContext) async -> OutputCheck

    /// Does the work. Cancellation (a newer change made it stale) arrives as Swift task cancellation.
    func run(_ context: NodeContext, _ evaluation: Evaluation) async throws(NodeFailure) -> NodeOutput

    /// An output that already exists for exactly this evaluation although no record says so:
    /// content-addressed outputs such as an image tagged with its fingerprint (after `.wbuild/`
    /// was deleted, or when a change is reverted). `nil` (the default) means "run it".
    func existingOutput(_ context: NodeContext, _ evaluation: Evaluation) async -> (NodeOutput, String)?
}

extension NodeRule {
    public func existingOutput(_ context: NodeContext, _ evaluation: Evaluation) async -> (NodeOutput, String)? { nil }
}

/// The result of evaluating a node's own inputs.
public struct Evaluation: Sendable {
    /// Covers the node's own settings and files; the scheduler adds the inputs' output hashes.
    public var fingerprint: Fingerprint
    /// Paths that changed since the last evaluation, when the rule knows (sources do).
    public var changedPaths: [String]
    /// Whether the fingerprint stands for files (a source): a change then reads "inputs changed",
    /// not "settings changed", even when the paths are not known.
    public var coversFiles: Bool
    /// Rule-specific data carried from `evaluate` to `run` (e.g. the scanned file list).
    public var payload: (any Sendable)?

    public init(fingerprint: Fingerprint, changedPaths: [String] = [], coversFiles: Bool = false,
                payload: (any Sendable)? = nil) {
        self.fingerprint = fingerprint
        self.changedPaths = changedPaths
        self.coversFiles = coversFiles
        self.payload = payload
    }
}

/// Whether a recorded output is still there.
public enum OutputCheck: Sendable, Equatable {
    case present
    /// Why it is not, e.g. "web/dist/app.js was deleted", "image wbuild/shop-api:3f2a… is gone".
    case missing(String)
}

/// What a node produced, as its consumers and the result object see it.
public struct NodeOutput: Sendable, Codable, Equatable {
    /// What consumers fingerprint: same hash, same output, so propagation stops here.
    public var hash: String
    /// Typed facts for results and `graph` (e.g. `image`, `imageId`, `files`).
    public var fields: [String: String]

    public init(hash: String, fields: [String: String] = [:]) {
        self.hash = hash
        self.fields = fields
    }
}

/// A node run that did not succeed: the user's error (a failing command) or the system's.
public struct NodeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// One line: what failed, e.g. "command exited with code 2".
    public var message: String
    /// The last lines of output, for the summary.
    public var tail: [String]
    /// What to do about it, when we know.
    public var hint: String?

    public init(_ message: String, tail: [String] = [], hint: String? = nil) {
        self.message = message
        self.tail = tail
        self.hint = hint
    }

    public var description: String {
        var text = message
        if let hint { text += " (\(hint))" }
        return text
    }
}
