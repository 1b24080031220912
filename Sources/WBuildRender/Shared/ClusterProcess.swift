import WBuildSpec

/// A workload's (or sidecar's) command, entrypoint and environment with bindings resolved as a
/// cluster's network has them (`RenderInput.bindings`), each failure at its key path.
public struct ClusterProcess: Sendable, Equatable {
    public var entrypoint: [String]?
    public var command: [String]?
    public var environment: [KeyValuePair]

    /// Resolves `workload`'s own process.
    public init(workload: WorkloadSpec, input: RenderInput, problems: inout [RenderProblem]) {
        let base = "workloads.\(workload.name)"
        let bindings = input.bindings
        entrypoint = Self.resolve(workload.entrypoint, keyPath: "\(base).entrypoint", bindings: bindings, problems: &problems)
        command = Self.resolve(workload.command, keyPath: "\(base).command", bindings: bindings, problems: &problems)
        environment = workload.env.map { pair in
            KeyValuePair(pair.key, Self.resolve(pair.value, keyPath: "\(base).env.\(pair.key)", bindings: bindings, problems: &problems))
        }
    }

    /// Resolves a sidecar's process (sidecars take no bindings: values are used as written).
    public init(sidecar: SidecarSpec) {
        entrypoint = sidecar.entrypoint
        command = sidecar.command
        environment = sidecar.env
    }

    static func resolve(_ texts: [String]?, keyPath: String, bindings: NetworkBindings,
                        problems: inout [RenderProblem]) -> [String]? {
        texts.map { list in
            list.enumerated().map { index, text in resolve(text, keyPath: "\(keyPath)[\(index)]", bindings: bindings, problems: &problems) }
        }
    }

    static func resolve(_ text: String, keyPath: String, bindings: NetworkBindings, problems: inout [RenderProblem]) -> String {
        guard let template = try? BindingTemplate(parsing: text) else { return text }
        switch template.render(resolve: bindings.value(of:)) {
        case .success(let rendered):
            return rendered
        case .failure(let unresolved):
            problems.append(RenderProblem(
                keyPath: keyPath, "cannot resolve \(unresolved.references.map(\.description).joined(separator: ", "))",
                hint: "bind to a workload of this project and a port it declares"))
            return text
        }
    }
}
