import WBuildSpec

/// Resolves bindings to their values on the local project network (`NetworkBindings`: each
/// workload reachable by its name, peers on container ports), for a workload plan.
struct LocalBindings {
    let project: ProjectSpec
    let imageReferences: [String: String]

    func value(of reference: BindingReference) -> String? {
        NetworkBindings(project: project, imageReferences: imageReferences).value(of: reference)
    }

    /// `text` with its bindings rendered; fails naming `keyPath` and every unresolved binding.
    func render(_ text: String, workload: String, keyPath: String) throws(WorkloadPlanError) -> String {
        let template: BindingTemplate
        do {
            template = try BindingTemplate(parsing: text)
        } catch {
            throw WorkloadPlanError(workload: workload, message: "\(keyPath): \(error.message)", hint: error.hint)
        }
        switch template.render(resolve: value(of:)) {
        case .success(let rendered):
            return rendered
        case .failure(let unresolved):
            let names = unresolved.references.map(\.description).joined(separator: ", ")
            throw WorkloadPlanError(workload: workload, message: "\(keyPath): cannot resolve \(names)",
                                    hint: "bind to a workload of this project and a port it declares")
        }
    }

    func render(_ texts: [String]?, workload: String, keyPath: String) throws(WorkloadPlanError) -> [String]? {
        guard let texts else { return nil }
        var rendered: [String] = []
        for (index, text) in texts.enumerated() {
            rendered.append(try render(text, workload: workload, keyPath: "\(keyPath)[\(index)]"))
        }
        return rendered
    }

    func renderEnvironment(_ env: [KeyValuePair], workload: String, keyPath: String) throws(WorkloadPlanError) -> [String] {
        var rendered: [String] = []
        for pair in env {
            rendered.append("\(pair.key)=" + (try render(pair.value, workload: workload, keyPath: "\(keyPath).\(pair.key)")))
        }
        return rendered
    }
}
