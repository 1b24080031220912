import WBuildCore
import WBuildSpec
import WBuildWorkloads

/// The graph as `wbuild graph` shows it: each node, its inputs, and what wbuild last did with it.
public struct GraphReport: Sendable {
    /// One node and its state.
    public struct Node: Sendable {
        public let id: NodeID
        public let inputs: [NodeID]
        /// "built", "cached", "failed", "blocked", or "never run".
        public let state: String
        public let reason: String?
        public let fingerprint: String?
        public let output: [String: String]
    }

    public let nodes: [Node]

    /// The nodes that consume `id`.
    public func consumers(of id: NodeID) -> [NodeID] {
        nodes.filter { $0.inputs.contains(id) }.map(\.id)
    }

    /// Each node in order with its state and reason, what it consumes (←) and what consumes it (→).
    public var text: String {
        nodes.map { node in
            var line = "\(node.id)  [\(node.state)]"
            if let reason = node.reason { line += "  \(reason)" }
            if !node.inputs.isEmpty { line += "\n    ← \(node.inputs.map(\.description).joined(separator: ", "))" }
            let consumers = consumers(of: node.id)
            if !consumers.isEmpty { line += "\n    → \(consumers.map(\.description).joined(separator: ", "))" }
            return line
        }.joined(separator: "\n")
    }

    /// Graphviz shapes by kind, so sources, tasks, images and workloads tell apart at a glance.
    static func shape(of kind: String) -> String {
        switch kind {
        case "source": return "note"
        case "task": return "box"
        case "serve": return "ellipse"
        case "image": return "box3d"
        case "workload": return "component"
        case "publish": return "cylinder"
        default: return "box"
        }
    }

    public var dot: String {
        var lines = ["digraph wbuild {", "  rankdir=LR;", "  node [shape=box, fontname=\"monospace\"];"]
        for node in nodes {
            let color: String
            switch node.state {
            case "built", "cached": color = "darkgreen"
            case "failed": color = "red"
            case "blocked": color = "orange"
            default: color = "gray"
            }
            lines.append("  \"\(node.id)\" [label=\"\(node.id)\\n\(node.state)\", shape=\(Self.shape(of: node.id.kind)), color=\(color)];")
        }
        for node in nodes {
            for input in node.inputs { lines.append("  \"\(input)\" -> \"\(node.id)\";") }
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    public var json: JSONText {
        .object([
            ("type", .string("graph")),
            ("nodes", .array(nodes.map { node in
                var pairs: [(String, JSONText)] = [
                    ("id", .string(node.id.description)),
                    ("inputs", .array(node.inputs.map { .string($0.description) })),
                    ("state", .string(node.state)),
                ]
                if let reason = node.reason { pairs.append(("reason", .string(reason))) }
                if let fingerprint = node.fingerprint { pairs.append(("fingerprint", .string(fingerprint))) }
                for key in node.output.keys.sorted() { pairs.append((key, .string(node.output[key] ?? ""))) }
                return .object(pairs)
            })),
        ])
    }
}

extension Engine {
    /// The whole graph of `projectFile` as `up` and `watch` run it — sources, tasks, `serve`
    /// tasks, images and workloads with every edge between them — plus the `publish:` nodes
    /// `wbuild publish` adds, with each node's last recorded state. Runs nothing and connects
    /// to nothing.
    public static func graph(projectFile: String = ProjectLoader.defaultFileName) throws(WBuildError) -> GraphReport {
        try load(projectFile: projectFile, events: .none, serveSupervisor: ServeSupervisor(events: .none),
                 workloads: .run(readyTimeout: .seconds(120)), publishNodesWithWorkloads: true).graphReport()
    }

    /// The graph with each node's last recorded state; runs nothing.
    public func graphReport() -> GraphReport {
        GraphReport(nodes: project.graph.order.compactMap { id in
            guard let node = project.graph.node(id) else { return nil }
            let last = state.lastRun(id)
            let record = state.record(id)
            return GraphReport.Node(id: id, inputs: node.inputs, state: last?.status.rawValue ?? "never run",
                                    reason: last?.reason, fingerprint: record?.fingerprint.short,
                                    output: record?.output.fields ?? [:])
        })
    }
}
