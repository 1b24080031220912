import WBuildCore
import WBuildSpec

/// An edge `addOutputEdges` made: task `task`'s declared output `outputIndex` lies inside the
/// files of `source`, so the source waits for the task.
struct OutputEdge: Sendable, Equatable {
    let source: NodeID
    let task: String
    let outputIndex: Int
}

/// A cycle the graph found that runs through task outputs, reported at the `outputs` entry that
/// closes it (`wbuild.json:4:40: tasks.b.outputs[0]: …`) with the cycle spelled out.
enum OutputCycle {
    /// The diagnostic for `cycle` (each node depending on the next, the first repeated at the
    /// end), or nil when no edge on it comes from a task output.
    static func diagnostic(_ cycle: [NodeID], edges: [OutputEdge], spec: ProjectSpec) -> SpecDiagnostic? {
        guard cycle.count >= 2 else { return nil }
        for index in 0..<(cycle.count - 1) {
            let consumer = cycle[index], producer = cycle[index + 1]
            guard consumer.kind == "source", producer.kind == "task",
                  let edge = edges.first(where: { $0.source == consumer && $0.task == producer.name }),
                  let task = spec.task(named: edge.task), edge.outputIndex < task.outputs.count else { continue }
            let output = task.outputs[edge.outputIndex]
            let reader = spec.task(named: consumer.name) != nil
                ? "tasks.\(consumer.name).inputs" : "workloads.\(consumer.name).build.context"
            let text = cycle.map(\.description).joined(separator: " → ")
            return spec.locations.diagnostic(
                at: "tasks.\(edge.task).outputs[\(edge.outputIndex)]",
                "dependency cycle through task outputs: \(text); task `\(edge.task)` writes \"\(output)\", which is inside \(reader)",
                hint: "a task cannot read what it makes through another task: narrow these `outputs` or \(reader), or add the path to that task's `ignore`")
        }
        return nil
    }
}
