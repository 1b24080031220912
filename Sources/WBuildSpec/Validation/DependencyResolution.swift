/// Resolves `dependsOn` entries (`NAME`, `task:NAME`, `workload:NAME`) against the declared names.
extension SpecDecoder {
    /// An edge of the dependency graph, with where the file creates it.
    struct DependencyEdge {
        let from: DependencyReference
        let to: DependencyReference
        let node: SpecNode
    }

    /// Fills each task's and workload's `dependsOn`; reports unknown and self dependencies.
    /// Returns the edges for the cycle check.
    func resolveDependencies(in spec: inout ProjectSpec) -> [DependencyEdge] {
        var edges: [DependencyEdge] = []
        var resolved: [DependencyReference: [DependencyReference]] = [:]
        var seen = Set<DependencyEdgeKey>()
        let names = DeclaredNames(declarations.keys)
        for mention in dependencyMentions {
            guard let target = resolve(mention, names: names) else { continue }
            if target == mention.owner {
                report("\(mention.owner.kind.rawValue) `\(mention.owner.name)` depends on itself", at: mention.node,
                       hint: "remove this entry")
                continue
            }
            guard seen.insert(DependencyEdgeKey(from: mention.owner, to: target)).inserted else { continue }
            resolved[mention.owner, default: []].append(target)
            edges.append(DependencyEdge(from: mention.owner, to: target, node: mention.node))
        }
        for index in spec.workloads.indices {
            spec.workloads[index].dependsOn = resolved[DependencyReference(.workload, spec.workloads[index].name)] ?? []
        }
        for index in spec.tasks.indices {
            spec.tasks[index].dependsOn = resolved[DependencyReference(.task, spec.tasks[index].name)] ?? []
        }
        return edges
    }

    private func resolve(_ mention: DependencyMention, names: DeclaredNames) -> DependencyReference? {
        let entry = mention.entry
        guard let colon = entry.firstIndex(of: ":") else {
            if declarations[DependencyReference(.workload, entry)] != nil { return DependencyReference(.workload, entry) }
            if declarations[DependencyReference(.task, entry)] != nil { return DependencyReference(.task, entry) }
            report("unknown dependency `\(Self.shortened(entry))`: no task or workload has that name", at: mention.node,
                   hint: Suggestion.hint(for: entry, among: names.all, noun: "tasks and workloads"))
            return nil
        }
        let prefix = String(entry[..<colon])
        let name = String(entry[entry.index(after: colon)...])
        guard let kind = DependencyReference.Kind(rawValue: prefix) else {
            report("expected `NAME`, `task:NAME` or `workload:NAME`, got \"\(Self.shortened(entry))\"", at: mention.node)
            return nil
        }
        let reference = DependencyReference(kind, name)
        guard declarations[reference] == nil else { return reference }
        let sameKind = kind == .task ? names.tasks : names.workloads
        report("unknown dependency `\(Self.shortened(entry))`: no \(kind.rawValue) has that name", at: mention.node,
               hint: Suggestion.hint(for: name, among: sameKind, noun: "\(kind.rawValue)s"))
        return nil
    }
}

/// An edge's endpoints, to drop repeated `dependsOn` entries in constant time.
struct DependencyEdgeKey: Hashable {
    let from: DependencyReference
    let to: DependencyReference
}

/// The declared names, sorted, for suggestions: computed once per load.
struct DeclaredNames {
    let all: [String]
    let tasks: [String]
    let workloads: [String]

    init(_ references: some Collection<DependencyReference>) {
        all = references.map(\.name).sorted()
        tasks = references.filter { $0.kind == .task }.map(\.name).sorted()
        workloads = references.filter { $0.kind == .workload }.map(\.name).sorted()
    }
}
