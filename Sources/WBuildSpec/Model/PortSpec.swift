/// A port a workload's container listens on, and how it is published on the host.
public struct PortSpec: Sendable, Equatable {
    /// Named ports can be bound to as `${workload.port.NAME}`.
    public var name: String?
    public var container: Int
    /// Host port; nil (or 0) means pick a free one.
    public var host: Int?
    /// Host address to bind (default 127.0.0.1).
    public var hostIP: String
    public var `protocol`: PortProtocol

    public init(name: String? = nil, container: Int, host: Int? = nil,
                hostIP: String = PortSpec.defaultHostIP, protocol: PortProtocol = .tcp) {
        self.name = name
        self.container = container
        self.host = host
        self.hostIP = hostIP
        self.protocol = `protocol`
    }

    public static let defaultHostIP = "127.0.0.1"
}

/// What speaks on a port: decides probes, routes and Service app protocols.
public enum PortProtocol: String, Sendable, Equatable, CaseIterable {
    case http
    case http2
    case grpc
    case tcp
}
