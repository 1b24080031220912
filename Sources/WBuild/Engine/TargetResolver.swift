import WBuildCore
import WBuildSpec
import WBuildWorkloads

/// Command-line targets → node ids, the same for `once`, `up` and `watch`.
///
/// A bare name means the workload (with all it needs: its image and the workloads, images and
/// tasks it depends on or binds to), else the task; `image:kv`, `task:assets`, `workload:kv`
/// name one node (and what it consumes). Where there are no workload nodes (`once`), a
/// workload means the images and tasks it needs. An unknown target is a usage error (exit 2)
/// naming the closest known one and every workload and task.
struct TargetResolver {
    let graph: BuildGraph
    let spec: ProjectSpec
    let projectFile: String

    func resolve(_ targets: [String]) throws(WBuildError) -> Set<NodeID> {
        var resolved = Set<NodeID>()
        for target in targets { resolved.formUnion(try resolve(target)) }
        return resolved
    }

    func resolve(_ target: String) throws(WBuildError) -> Set<NodeID> {
        if let id = NodeID(parsing: target) {
            if graph.node(id) != nil { return [id] }
            if id.kind == "workload", spec.workload(named: id.name) != nil { return needs(ofWorkload: id.name) }
            throw unknown(target)
        }
        if spec.workload(named: target) != nil {
            let id = NodeID(kind: "workload", name: target)
            return graph.node(id) != nil ? [id] : needs(ofWorkload: target)
        }
        for kind in ["task", "serve"] {
            let id = NodeID(kind: kind, name: target)
            if graph.node(id) != nil { return [id] }
        }
        throw unknown(target)
    }

    /// Without workload nodes: the workload's image, and (transitively) the images and tasks of
    /// what it depends on or binds to.
    func needs(ofWorkload name: String) -> Set<NodeID> {
        var needed = Set<NodeID>(), pending = [name], seen = Set<String>()
        while let next = pending.popLast() {
            guard seen.insert(next).inserted, let workload = spec.workload(named: next) else { continue }
            needed.insert(NodeID(kind: "image", name: next))
            for reference in workload.bindingReferences where reference.workload != next {
                if case .image = reference.field { needed.insert(NodeID(kind: "image", name: reference.workload)) } else { pending.append(reference.workload) }
            }
            for dependency in workload.dependsOn {
                switch dependency.kind {
                case .workload: pending.append(dependency.name)
                case .task: needed.insert(NodeID(kind: "task", name: dependency.name))
                }
            }
        }
        return needed.filter { graph.node($0) != nil }
    }

    func unknown(_ target: String) -> WBuildError {
        let workloads = spec.workloads.map(\.name), tasks = spec.tasks.map(\.name)
        let nodes = graph.order.filter { $0.kind != "source" }.map(\.description)
        let suggestion = Suggestion.closest(to: target, among: workloads + tasks + nodes).map { "; did you mean `\($0)`?" } ?? ""
        var known: [String] = []
        if !workloads.isEmpty { known.append("workloads: \(workloads.joined(separator: ", "))") }
        if !tasks.isEmpty { known.append("tasks: \(tasks.joined(separator: ", "))") }
        if !nodes.isEmpty { known.append("nodes: \(nodes.joined(separator: ", "))") }
        return WBuildError(.usage, "no workload, task or node named `\(target)` in \(projectFile)\(suggestion)",
                           hint: known.isEmpty ? "the project defines no workloads or tasks yet" : "known " + known.joined(separator: "; "))
    }
}
