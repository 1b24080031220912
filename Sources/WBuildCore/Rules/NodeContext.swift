/// Everything a rule may look at while it evaluates or runs one node.
public struct NodeContext: Sendable {
    public let id: NodeID
    /// Outputs of the nodes this one consumes, from this pass or the last successful one.
    public let inputOutputs: [NodeID: NodeOutput]
    /// The record of this node's last success, if any.
    public let previous: NodeRecord?
    /// Emits log lines and other events, tagged with this node.
    public let events: EventSink

    public init(id: NodeID, inputOutputs: [NodeID: NodeOutput], previous: NodeRecord?, events: EventSink) {
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
