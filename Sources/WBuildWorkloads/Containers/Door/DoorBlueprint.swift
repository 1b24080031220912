import WBuildCore
import WBuildDocker

/// The create body of a workload's front door: the `wbuild-door` image, listening on each of
/// the plan's door ports (`WorkloadPlan.doorPorts`) and forwarding to the same port of a ready
/// replica; published where the spec says (host port given or engine-chosen, 127.0.0.1 unless
/// told otherwise) and known on the project network by the workload's name. Its control port
/// is not published: wbuild dials the door's address on the project network (reachable from
/// the engine's host), and the secret wbuild writes to its `/.wbuild/secret` before it starts
/// (`ControlSecrets`) keeps every other client out.
struct DoorBlueprint {
    let plan: WorkloadPlan
    /// The door image reference (`DoorImage`).
    let image: String

    var name: String { ContainerLabels.doorName(project: plan.project, workload: plan.workload) }

    /// What decides whether a running door is still right: the image and the published ports.
    /// (Replicas come and go behind a door without touching it.)
    var fingerprint: Fingerprint {
        var builder = FingerprintBuilder(kind: "door")
        builder.add("image", image)
        builder.add("network", ContainerLabels.networkName(project: plan.project))
        builder.add("ports", plan.doorPorts.map { "\($0.container)|\($0.host)|\($0.hostIP)|\($0.protocol.rawValue)|\($0.name ?? "")" })
        return builder.finish()
    }

    func config() -> ContainerConfig {
        var exposed: [String: EmptyObject] = [:]
        var bindings: [String: [PortBinding]] = [:]
        for port in plan.doorPorts {
            exposed[port.engineKey] = EmptyObject()
            bindings[port.engineKey] = [PortBinding(hostIp: port.hostIP, hostPort: port.host == 0 ? "" : String(port.host))]
        }
        let network = ContainerLabels.networkName(project: plan.project)
        return ContainerConfig(
            image: image,
            cmd: ["--control", String(DoorBinary.defaultControlPort)] + plan.doorPorts.map { String($0.container) },
            labels: [
                ContainerLabels.project: plan.project,
                ContainerLabels.workload: plan.workload,
                ContainerLabels.door: "1",
                ContainerLabels.fingerprint: fingerprint.hex,
                ContainerLabels.ports: ContainerLabels.encodePorts(plan.doorPorts, debugPort: nil),
            ],
            exposedPorts: exposed, stopTimeout: 1,
            // Back after an engine restart without wbuild: the door is what peers and the host dial.
            hostConfig: HostConfig(portBindings: bindings, networkMode: network, restartPolicy: RestartPolicy(name: "unless-stopped")),
            networkingConfig: NetworkingConfig(endpointsConfig: [network: EndpointSettings(aliases: [plan.workload])]))
    }
}
