/// Checks every `${w.field}` against the workloads the file declares.
extension SpecDecoder {
    /// Reports bindings to unknown workloads, to tasks, to the workload itself, to ports
    /// the target does not declare. Returns the valid ones as graph edges.
    func checkBindings(in spec: ProjectSpec) -> [DependencyEdge] {
        var edges: [DependencyEdge] = []
        let workloadNames = DeclaredNames(declarations.keys).workloads
        let workloadsByName = Dictionary(spec.workloads.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var portNamesByWorkload: [String: Set<String>] = [:]
        for mention in bindingMentions {
            let reference = mention.reference
            let target = reference.workload
            if target == mention.owner {
                report("a workload cannot bind to itself (`\(reference)`)", at: mention.node,
                       hint: "inside its own container, use localhost and the port directly")
                continue
            }
            guard declarations[DependencyReference(.workload, target)] != nil else {
                if declarations[DependencyReference(.task, target)] != nil {
                    report("`\(reference)` names a task; bindings name workloads", at: mention.node)
                } else {
                    report("`\(Self.shortened(reference.description))` names no workload", at: mention.node,
                           hint: Suggestion.hint(for: target, among: workloadNames, noun: "workloads"))
                }
                continue
            }
            // A target that failed to decode has its own diagnostics; don't pile on.
            guard let workload = workloadsByName[target] else { continue }
            switch reference.field {
            case .port(nil), .url:
                if workload.ports.isEmpty {
                    report("`\(reference)` needs a port, but workload `\(target)` declares none", at: mention.node,
                           hint: "add one to workloads.\(target).ports, e.g. `ports: [{ container: 8080 }]`")
                    continue
                }
            case .port(let name?):
                if portNamesByWorkload[target] == nil {
                    portNamesByWorkload[target] = Set(workload.ports.compactMap(\.name))
                }
                if portNamesByWorkload[target]?.contains(name) != true {
                    let named = workload.ports.compactMap(\.name)
                    report("workload `\(target)` has no port named `\(Self.shortened(name))`", at: mention.node,
                           hint: Suggestion.hint(for: name, among: named, noun: "its named ports")
                               ?? "name one, e.g. `ports: [{ name: \"\(Self.shortened(name))\", container: … }]`")
                    continue
                }
            case .host, .image:
                break
            }
            edges.append(DependencyEdge(
                from: DependencyReference(.workload, mention.owner), to: DependencyReference(.workload, target),
                node: mention.node))
        }
        return edges
    }
}
