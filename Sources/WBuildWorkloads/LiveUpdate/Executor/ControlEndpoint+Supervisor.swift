import WBuildDocker

extension ControlEndpoint {
    /// The supervisor's port as published on 127.0.0.1 (the runtime publishes it for supervised
    /// workloads, so the channel stays on loopback), else the container's first network address;
    /// with the token from the container's label. Nil when the container is not running or has
    /// no address (network mode none).
    public static func resolveSupervisor(containerID: String, client: DockerClient) async throws -> ControlEndpoint? {
        guard let info = try await client.inspectContainer(containerID), info.state.running else { return nil }
        let token = info.labels[SupervisorBinary.tokenLabel]
        if let binding = info.ports["\(SupervisorBinary.defaultPort)/tcp"]?.first(where: { $0.hostIp == "127.0.0.1" }),
           let port = binding.hostPort.flatMap(Int.init), port > 0 {
            return ControlEndpoint(host: "127.0.0.1", port: port, token: token)
        }
        let addresses = info.networks.keys.sorted().compactMap { info.networks[$0]?.ipAddress }.filter { !$0.isEmpty }
        return addresses.first.map { ControlEndpoint(host: $0, token: token) }
    }
}
