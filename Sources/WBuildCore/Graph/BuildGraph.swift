/// The dependency graph: nodes keyed by id, each with the ids it consumes.
///
/// Immutable once built; `GraphError` reports unknown inputs and cycles (with the cycle spelled out).
public struct BuildGraph: Sendable {
    /// One node: its identity, its rule (what it does) and the nodes whose outputs it consumes.
    public struct Node: Sendable {
        public let id: NodeID
        public let inputs: [NodeID]
        public let rule: any NodeRule

        public init(id: NodeID, inputs: [NodeID], rule: any NodeRule) {
            self.id = id
            self.inputs = inputs
            self.rule = rule
        }
    }

    public private(set) var nodes: [NodeID: Node] = [:]
    /// Node ids in a stable topological order (inputs before consumers, ties by id).
    public private(set) var order: [NodeID] = []
    /// For each node, the nodes that consume it.
    public private(set) var dependents: [NodeID: [NodeID]] = [:]

    public init(_ nodes: [Node]) throws(GraphError) {
        for node in nodes {
            if self.nodes[node.id] != nil { throw GraphError.duplicateNode(node.id) }
            self.nodes[node.id] = node
        }
        for node in nodes {
            for input in node.inputs {
                guard self.nodes[input] != nil else { throw GraphError.unknownInput(node: node.id, input: input) }
                dependents[input, default: []].append(node.id)
            }
        }
        for key in dependents.keys { dependents[key]?.sort() }
        order = try Self.topologicalOrder(self.nodes)
    }

    public func node(_ id: NodeID) -> Node? { nodes[id] }

    /// `targets` and everything they transitively consume.
    public func closure(of targets: some Sequence<NodeID>) -> Set<NodeID> {
        var seen = Set<NodeID>()
        var stack = Array(targets)
        while let id = stack.popLast() {
            guard seen.insert(id).inserted, let node = nodes[id] else { continue }
            stack.append(contentsOf: node.inputs)
        }
        return seen
    }

    /// `roots` and everything that transitively consumes them.
    public func downstream(of roots: some Sequence<NodeID>) -> Set<NodeID> {
        var seen = Set<NodeID>()
        var stack = Array(roots)
        while let id = stack.popLast() {
            guard seen.insert(id).inserted else { continue }
            stack.append(contentsOf: dependents[id] ?? [])
        }
        return seen
    }

    /// Kahn's algorithm with a sorted ready set, so the order is the same on every run.
    private static func topologicalOrder(_ nodes: [NodeID: Node]) throws(GraphError) -> [NodeID] {
        var remainingInputs = nodes.mapValues { Set($0.inputs).count }
        var consumers: [NodeID: [NodeID]] = [:]
        for node in nodes.values { for input in Set(node.inputs) { consumers[input, default: []].append(node.id) } }
        var ready = remainingInputs.filter { $0.value == 0 }.map(\.key).sorted(by: >)
        var order: [NodeID] = []
        while let id = ready.popLast() {
            order.append(id)
            for consumer in consumers[id] ?? [] {
                remainingInputs[consumer, default: 0] -= 1
                if remainingInputs[consumer] == 0 {
                    ready.append(consumer)
                    ready.sort(by: >)
                }
            }
        }
        if order.count < nodes.count {
            let stuck = Set(nodes.keys).subtracting(order)
            throw GraphError.cycle(findCycle(among: stuck, nodes: nodes))
        }
        return order
    }

    /// A concrete cycle through nodes that Kahn's algorithm could not order.
    private static func findCycle(among stuck: Set<NodeID>, nodes: [NodeID: Node]) -> [NodeID] {
        guard let start = stuck.min() else { return [] }
        // Walk inputs inside the stuck set until a node repeats; every stuck node has a stuck input.
        var path: [NodeID] = [start]
        var position: [NodeID: Int] = [start: 0]
        var current = start
        while true {
            guard let next = nodes[current]?.inputs.filter({ stuck.contains($0) }).min() else { return path }
            if let index = position[next] {
                // Read as "depends on": each node consumes the next.
                return Array(path[index...]) + [next]
            }
            position[next] = path.count
            path.append(next)
            current = next
        }
    }
}

/// A graph that cannot be built.
public enum GraphError: Error, Sendable, CustomStringConvertible, Equatable {
    case duplicateNode(NodeID)
    case unknownInput(node: NodeID, input: NodeID)
    /// The nodes of the cycle, each depending on the next, the first repeated at the end: `a → b → a`.
    case cycle([NodeID])

    public var description: String {
        switch self {
        case .duplicateNode(let id):
            return "the graph has two nodes named \(id); rename one of them"
        case .unknownInput(let node, let input):
            return "\(node) depends on \(input), which does not exist; check its dependsOn"
        case .cycle(let cycle):
            return "dependency cycle: \(cycle.map(\.description).joined(separator: " → ")); remove one of these dependencies"
        }
    }
}
