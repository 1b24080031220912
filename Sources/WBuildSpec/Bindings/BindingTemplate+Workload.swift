extension BindingTemplate {
    /// Every binding in a workload's env values, command and entrypoint, once each, in file
    /// order: the workloads it needs connection details of (graph edges). Strings that are not
    /// well-formed templates contribute nothing; a loaded spec has none.
    public static func references(of workload: WorkloadSpec) -> [BindingReference] {
        let texts = workload.env.map(\.value) + (workload.command ?? []) + (workload.entrypoint ?? [])
        var seen = Set<BindingReference>()
        var result: [BindingReference] = []
        for text in texts {
            guard let template = try? BindingTemplate(parsing: text) else { continue }
            for reference in template.references where seen.insert(reference).inserted {
                result.append(reference)
            }
        }
        return result
    }
}

extension WorkloadSpec {
    /// The bindings this workload uses; see `BindingTemplate.references(of:)`.
    public var bindingReferences: [BindingReference] { BindingTemplate.references(of: self) }
}
