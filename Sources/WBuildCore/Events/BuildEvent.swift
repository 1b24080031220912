/// Which output stream a log line came from.
public enum LogStream: String, Sendable, Codable {
    case stdout, stderr
}

/// Something that happened while wbuild worked; the terminal and `--json` render these.
public enum BuildEvent: Sendable {
    /// A node started running, and why.
    case nodeStart(NodeID, RunReason)
    /// A node is due to run but waits for inputs that are running now.
    case nodeWaiting(NodeID, on: [NodeID])
    /// A node finished (built, cached, failed, blocked or cancelled).
    case nodeDone(NodeResult)
    /// One line of a node's output.
    case log(NodeID, LogStream, String)
    /// The watcher saw files change; these nodes are now dirty.
    case change(paths: [String], nodes: [NodeID])
    /// Something the user should know that is not a failure.
    case warning(String)
    /// A pass over the graph finished.
    case passDone(PassSummary)
    /// A workload's state changed (starting, ready, unhealthy, crash-looping, stopped, …);
    /// `detail` says why or where (urls, exit code, "OOM killed").
    case workloadState(NodeID, state: String, detail: String)
    /// A live update finished: files synced and the timeline of its phases in milliseconds
    /// (e.g. `settled`, `sent`, `steps`, `restarted`, `ready`), in order.
    case liveUpdate(NodeID, files: Int, phases: [(String, Int)])
    /// `watch` is watching `root` for changes (after its first pass started).
    case watching(root: String)
    /// The project file changed and its new graph replaced the old one.
    case reloaded(file: String)
    /// A node that has run for a while says how far it has got (throttled by `ProgressMeter`).
    case progress(NodeID, NodeProgress)
    /// The project's router answered a request.
    case route(RouteRecord)
}

/// Where events go. Cheap to copy; safe to call from any thread.
public struct EventSink: Sendable {
    private let handler: @Sendable (BuildEvent) -> Void

    public init(_ handler: @escaping @Sendable (BuildEvent) -> Void) { self.handler = handler }

    public func emit(_ event: BuildEvent) { handler(event) }

    /// Discards everything.
    public static let none = EventSink { _ in }
}
