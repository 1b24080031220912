import WBuildCore

/// A `serve:NAME` node: a long-running local process (Tilt's `serve_cmd`) that `wbuild watch`
/// keeps running and restarts when its inputs or settings change. `once` does not include it.
///
/// "Built" means started; its output hash is its fingerprint plus its inputs, so consumers
/// (rare) see a restart as a change.
public final class ServeRule: NodeRule {
    public let definition: TaskDefinition
    let supervisor: ServeSupervisor

    public init(_ definition: TaskDefinition, supervisor: ServeSupervisor) {
        self.definition = definition
        self.supervisor = supervisor
    }

    public func evaluate(_ context: NodeContext) async throws(NodeFailure) -> Evaluation {
        var builder = FingerprintBuilder(kind: "serve")
        for (label, value) in definition.fingerprint() { builder.add(label, value) }
        return Evaluation(fingerprint: builder.finish())
    }

    public func checkOutput(_ record: NodeRecord, _ context: NodeContext) async -> OutputCheck {
        supervisor.isRunning(definition.name, fingerprint: record.fingerprint) ? .present : .missing("not running")
    }

    public func run(_ context: NodeContext, _ evaluation: Evaluation) async throws(NodeFailure) -> NodeOutput {
        try await supervisor.start(definition, fingerprint: evaluation.fingerprint, id: context.id)
        var builder = FingerprintBuilder(kind: "serve-run")
        builder.add("fingerprint", evaluation.fingerprint)
        for (input, output) in context.inputOutputs.sorted(by: { $0.key < $1.key }) { builder.add(input.description, output.hash) }
        return NodeOutput(hash: builder.finish().hex, fields: ["serving": "true"])
    }
}
