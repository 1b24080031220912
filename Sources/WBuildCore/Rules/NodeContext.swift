/// Everything a rule may look at while it evaluates or runs one node.
public struct NodeContext: Sendable {
    public let id: NodeID
    /// Outputs of the nodes this one consumes, from this pass or the last successful one.
    public let inputOutputs: [NodeID: NodeOutput]
    /// The record of this node's last success, if any.
    public let previous: NodeRecord?
    /// Emits log lines and other events, tagged with this node.
    public let events: EventSink
    /// Whether this pass runs the node on request (`--force`, `wbuild restart`) rather than
    /// because something changed: a rule may then redo what it would otherwise adopt.
    public let forced: Bool

    public init(id: NodeID, inputOutputs: [NodeID: NodeOutput], previous: NodeRecord?, events: EventSink, forced: Bool = false) {
        self.forced = forced
        self.id = id
        self.inputOutputs = inputOutputs
        self.previous = previous
        self.events = events
    }

    /// Emits one line of the node's output.
    public func log(_ line: String, stream: LogStream = .stdout) {
        events.emit(.log(id, stream, line))
    }
}
