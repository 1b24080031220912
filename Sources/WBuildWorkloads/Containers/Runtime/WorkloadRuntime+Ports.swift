import WBuildCore
import WBuildDocker

extension WorkloadRuntime {
    /// Re-reads the host ports of `id` (they change on every start) and its address on the
    /// project network (it may too), and records them.
    @discardableResult
    func refreshPorts(_ id: String, plan: WorkloadPlan) async -> [PublishedPort] {
        guard let info = try? await client.inspectContainer(id) else { return [] }
        let ports = publishedPorts(info, plan: plan)
        let address = networkAddress(info)
        book.withLock { book in
            book.tracked[id]?.ports = ports
            book.tracked[id]?.address = address
        }
        return ports
    }

    /// The container's IPv4 address on the project network, nil when it has none.
    func networkAddress(_ info: ContainerInfo) -> String? {
        guard let address = info.networks[networkName]?.ipAddress, !address.isEmpty else { return nil }
        return address
    }

    func publishedPorts(_ info: ContainerInfo, plan: WorkloadPlan?) -> [PublishedPort] {
        let declared = ContainerLabels.decodePorts(info.labels[ContainerLabels.ports])
        return declared.compactMap { port in
            guard let binding = info.ports["\(port.container)/tcp"]?.first,
                  let hostPort = binding.hostPort.flatMap(Int.init) else { return nil }
            return PublishedPort(name: port.name, container: port.container, hostIP: binding.hostIp ?? "",
                                 hostPort: hostPort, protocol: port.protocol, isDebug: port.isDebug)
        }
    }

    func describe(_ ports: [PublishedPort]) -> String {
        ports.filter { $0.name != PlannedPort.supervisorName }.map { port in
            port.isDebug ? "debugger on \(ProbeRunner.dialable(port.hostIP)):\(port.hostPort)"
                : port.url ?? "\(ProbeRunner.dialable(port.hostIP)):\(port.hostPort)"
        }.joined(separator: ", ")
    }
}
