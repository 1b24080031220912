import WBuildDocker

/// Where wbuild reaches a container's supervisor over TCP: a host port the runtime published on
/// 127.0.0.1, or the container's own address on its network (reachable from the Docker host on
/// Linux) and the supervisor's port.
public struct SupervisorEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// An IPv4 address.
    public var host: String
    public var port: Int
    /// The channel token the supervisor was started with (`SupervisorLaunch`), if any.
    public var token: String?

    public init(host: String, port: Int = SupervisorBinary.defaultPort, token: String? = nil) {
        self.host = host
        self.port = port
        self.token = token
    }

    public var description: String { "\(host):\(port)" }

    /// The supervisor's port as published on 127.0.0.1 (the runtime publishes it for supervised
    /// workloads, so the channel stays on loopback), else the container's first network address;
    /// with the token from the container's label. Nil when the container is not running or has
    /// no address (network mode none).
    public static func resolve(containerID: String, client: DockerClient) async throws -> SupervisorEndpoint? {
        guard let info = try await client.inspectContainer(containerID), info.state.running else { return nil }
        let token = info.labels[SupervisorBinary.tokenLabel]
        if let binding = info.ports["\(SupervisorBinary.defaultPort)/tcp"]?.first(where: { $0.hostIp == "127.0.0.1" }),
           let port = binding.hostPort.flatMap(Int.init), port > 0 {
            return SupervisorEndpoint(host: "127.0.0.1", port: port, token: token)
        }
        let addresses = info.networks.keys.sorted().compactMap { info.networks[$0]?.ipAddress }.filter { !$0.isEmpty }
        return addresses.first.map { SupervisorEndpoint(host: $0, token: token) }
    }
}
