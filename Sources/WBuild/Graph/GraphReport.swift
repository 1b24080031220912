import WBuildCore

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

    public var text: String {
        nodes.map { node in
            var line = "\(node.id)  [\(node.state)]"
            if let reason = node.reason { line += "  \(reason)" }
            if !node.inputs.isEmpty { line += "\n    ← \(node.inputs.map(\.description).joined(separator: ", "))" }
            return line
        }.joined(separator: "\n")
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
            lines.append("  \"\(node.id)\" [label=\"\(node.id)\\n\(node.state)\", color=\(color)];")
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
