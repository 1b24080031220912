import WBuildDocker

extension ControlEndpoint {
    /// The supervisor's port as published on 127.0.0.1 (the runtime publishes it for supervised
    /// workloads, so the channel stays on loopback), else the container's first network address;
    /// with the container's secret (`ControlSecrets`). Nil when the container is not running, has
    /// no address (network mode none) or no secret wbuild wrote (then the engine carries the sync).
    public static func resolveSupervisor(containerID: String, client: DockerClient) async throws -> ControlEndpoint? {
        guard let info = try await client.inspectContainer(containerID), info.state.running else { return nil }
        guard let secret = await ControlSecrets.secret(of: containerID, alsoKnownAs: info.id, client: client) else { return nil }
        if let binding = info.ports["\(SupervisorBinary.defaultPort)/tcp"]?.first(where: { $0.hostIp == "127.0.0.1" }),
           let port = binding.hostPort.flatMap(Int.init), port > 0 {
            return ControlEndpoint(host: "127.0.0.1", port: port, secret: secret)
        }
        let addresses = info.networks.keys.sorted().compactMap { info.networks[$0]?.ipAddress }.filter { !$0.isEmpty }
        return addresses.first.map { ControlEndpoint(host: $0, secret: secret) }
    }
}
