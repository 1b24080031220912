/// What bindings (`${w.host}`, `${w.port}`, `${w.port.NAME}`, `${w.url}`, `${w.image}`) stand
/// for on a network where every workload is reachable by its own name: the project network
/// locally (the name is each container's alias), a Kubernetes namespace (the Service's name),
/// a Swarm stack's network (the service's alias).
///
/// - `host`: the workload's name;
/// - `port`: the first declared container port, `port.NAME` the named one (container ports,
///   since peers talk over the network, not through the host);
/// - `url`: `SCHEME://host:port` of the first port, SCHEME `http` for http and http2 ports,
///   `grpc` for grpc ports, `tcp` for tcp ports;
/// - `image`: the image reference the workload runs (`imageReferences`, else its `image:`).
public struct NetworkBindings: Sendable {
    public let project: ProjectSpec
    /// The reference each built workload runs, by workload name.
    public let imageReferences: [String: String]

    public init(project: ProjectSpec, imageReferences: [String: String]) {
        self.project = project
        self.imageReferences = imageReferences
    }

    /// The value `reference` stands for, or nil when it names no workload or port of the project.
    public func value(of reference: BindingReference) -> String? {
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
    public static func scheme(of portProtocol: PortProtocol) -> String {
        switch portProtocol {
        case .http, .http2: return "http"
        case .grpc: return "grpc"
        case .tcp: return "tcp"
        }
    }
}
