import WBuildSpec

/// Resolves bindings (`${w.host}`, `${w.port}`, `${w.port.NAME}`, `${w.url}`, `${w.image}`) to
/// their values on the local project network:
/// - `host`: the workload's name (its network alias);
/// - `port`: the first declared container port, `port.NAME` the named one (container ports,
///   since peers talk over the network, not through the host);
/// - `url`: `SCHEME://host:port` of the first port, SCHEME `http` for http and http2 ports,
///   `grpc` for grpc ports, `tcp` for tcp ports;
/// - `image`: the image reference the workload runs.
struct LocalBindings {
    let project: ProjectSpec
    let imageReferences: [String: String]

    func value(of reference: BindingReference) -> String? {
        guard let target = project.workload(named: reference.workload) else { return nil }
        switch reference.field {
        case .host:
            return target.name
        case .port(nil):
            return target.ports.first.map { String($0.container) }
        case .port(let name?):
            return target.ports.first(where: { $0.name == name }).map { String($0.container) }
        case .url:
            guard let port = target.ports.first else { return nil }
            return "\(Self.scheme(of: port.protocol))://\(target.name):\(port.container)"
        case .image:
            if let reference = imageReferences[target.name] { return reference }
            if case .image(let reference) = target.source { return reference }
            return nil
        }
    }

    /// `http` for http and http2, `grpc` for grpc, `tcp` for tcp.
    static func scheme(of portProtocol: PortProtocol) -> String {
        switch portProtocol {
        case .http, .http2: return "http"
        case .grpc: return "grpc"
        case .tcp: return "tcp"
        }
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
