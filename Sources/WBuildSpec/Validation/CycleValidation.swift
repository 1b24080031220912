/// Dependency cycles through `dependsOn` and bindings: the graph must be acyclic.
extension SpecDecoder {
    /// Reports each cycle once, at the edge that closes it, naming every node on it.
    func checkCycles(edges: [DependencyEdge], order: [DependencyReference]) {
        var outgoing: [DependencyReference: [DependencyEdge]] = [:]
        for edge in edges { outgoing[edge.from, default: []].append(edge) }

        enum Mark { case visiting, done }
        var marks: [DependencyReference: Mark] = [:]
        var reported = Set<Set<DependencyReference>>()
        var onStack: [DependencyReference: Int] = [:]
        let maximumReports = 20

        for root in order where marks[root] == nil {
            // Iterative depth-first search: a chain of thousands of tasks cannot overflow the stack.
            var stack: [(node: DependencyReference, next: Int)] = [(root, 0)]
            marks[root] = .visiting
            onStack[root] = 0
            while let top = stack.last {
                let candidates = outgoing[top.node] ?? []
                guard top.next < candidates.count else {
                    marks[top.node] = .done
                    onStack[top.node] = nil
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].next += 1
                let edge = candidates[top.next]
                switch marks[edge.to] {
                case nil:
                    marks[edge.to] = .visiting
                    onStack[edge.to] = stack.count
                    stack.append((edge.to, 0))
                case .visiting:
                    // Past a few reports, more cycles add noise, not information.
                    guard reported.count < maximumReports, let start = onStack[edge.to] else { continue }
                    let cycle = stack[start...].map(\.node)
                    guard reported.insert(Set(cycle)).inserted else { continue }
                    let text = (cycle + [edge.to]).map(\.nodeID).joined(separator: " → ")
                    report("dependency cycle: \(text)", at: edge.node,
                           hint: "break the cycle: remove a `dependsOn` entry or a binding on it")
                case .done:
                    break
                }
            }
        }
    }
}
