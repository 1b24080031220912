import WBuildCore
import WBuildDocker
import WBuildSpec

/// Turns a plan into the engine's create bodies: one per replica, one per sidecar.
struct ContainerBlueprint {
    let plan: WorkloadPlan
    let fingerprint: Fingerprint
    /// Put the engine's init in front of processes wbuild's supervisor does not run.
    let engineInit: Bool

    var networkName: String { ContainerLabels.networkName(project: plan.project) }

    func labels(replica: Int, sidecar: String? = nil) -> [String: String] {
        var labels = [
            ContainerLabels.project: plan.project,
            ContainerLabels.workload: plan.workload,
            ContainerLabels.fingerprint: fingerprint.hex,
            ContainerLabels.replica: String(replica),
        ]
        if let sidecar {
            labels[ContainerLabels.sidecar] = sidecar
        } else {
            labels[ContainerLabels.ports] = ContainerLabels.encodePorts(plan.ports, debugPort: plan.debugPort)
            let named = plan.volumes.compactMap { volume -> String? in
                if case .named(let name) = volume.source { return name }
                return nil
            }
            if !named.isEmpty { labels[ContainerLabels.volumes] = named.joined(separator: ",") }
            if let readiness = plan.readiness { labels[ContainerLabels.readiness] = ProbeLabel.encode(readiness) }
        }
        return labels
    }

    func replicaName(_ replica: Int) -> String {
        ContainerLabels.containerName(project: plan.project, workload: plan.workload, replica: replica, fingerprint: fingerprint)
    }

    /// The create body of `replica`. A workload with a front door is reached through the door:
    /// its replicas join the project network under their container names only and publish their
    /// ports on 127.0.0.1 at engine-chosen host ports (for probes and for reaching one replica),
    /// while the door holds the workload's name and host ports. Without a door, `announced`
    /// joins under the workload's name at once; otherwise under the container name only
    /// (`ensureAlias` adds the name once it is ready, when it replaces replicas that serve).
    func replica(_ replica: Int, announced: Bool = true) throws(WorkloadPlanError) -> ContainerConfig {
        let wrapping = try ProcessWrapping.decide(entrypoint: plan.entrypoint, command: plan.command, image: plan.imageProcess,
                                                  supervisor: plan.wrapWithSupervisor, engineInit: engineInit,
                                                  workload: plan.workload)
        var exposed: [String: EmptyObject] = [:]
        var bindings: [String: [PortBinding]] = [:]
        let behindDoor = plan.doorPorts
        for port in plan.ports {
            exposed[port.engineKey] = EmptyObject()
            bindings[port.engineKey] = behindDoor.contains(port)
                ? [PortBinding(hostIp: "127.0.0.1", hostPort: "")]
                : [PortBinding(hostIp: port.hostIP, hostPort: port.host == 0 ? "" : String(port.host))]
        }
        let binds = plan.volumes.map(\.bind)
        let host = HostConfig(
            portBindings: bindings.isEmpty ? nil : bindings, binds: binds.isEmpty ? nil : binds,
            memory: plan.resources.memoryBytes, nanoCpus: plan.resources.nanoCpus, networkMode: networkName,
            restartPolicy: RestartPolicy(name: "no"), deviceRequests: plan.resources.gpus.flatMap(Self.deviceRequests),
            init: wrapping.engineInit ? true : nil)
        return ContainerConfig(
            image: plan.image, cmd: wrapping.command, entrypoint: wrapping.entrypoint,
            env: plan.environment + plan.secretEnvironment.map { "\($0.name)=\($0.value.revealed)" },
            workingDir: plan.workdir, labels: labels(replica: replica), exposedPorts: exposed.isEmpty ? nil : exposed,
            stopTimeout: stopSeconds, hostConfig: host,
            networkingConfig: NetworkingConfig(endpointsConfig: [
                networkName: EndpointSettings(aliases: announced && !plan.hasFrontDoor ? [plan.workload] : nil),
            ]))
    }

    /// Whether a replica binds a fixed host port, which two generations cannot hold at once.
    var replicaHoldsFixedHostPort: Bool {
        let behindDoor = plan.doorPorts
        return plan.ports.contains { $0.host != 0 && !behindDoor.contains($0) }
    }

    func sidecar(_ sidecar: PlannedSidecar, replica: Int, target containerID: String) throws(WorkloadPlanError) -> ContainerConfig {
        let wrapping = try ProcessWrapping.decide(entrypoint: sidecar.entrypoint, command: sidecar.command, image: nil,
                                                  supervisor: false, engineInit: engineInit, workload: plan.workload)
        return ContainerConfig(
            image: sidecar.image, cmd: wrapping.command, entrypoint: wrapping.entrypoint, env: sidecar.environment,
            labels: labels(replica: replica, sidecar: sidecar.name), stopTimeout: stopSeconds,
            hostConfig: HostConfig(networkMode: "container:\(containerID)", restartPolicy: RestartPolicy(name: "no"),
                                   init: wrapping.engineInit ? true : nil))
    }

    /// The stop grace in whole seconds, rounded up (the engine's unit).
    var stopSeconds: Int { Self.seconds(ms: plan.stopGraceMs) }

    static func seconds(ms: Int) -> Int { max(0, (ms + 999) / 1000) }

    /// The engine's GPU request; nil for none.
    static func deviceRequests(_ gpus: GPURequest) -> [DeviceRequest]? {
        switch gpus {
        case .all: return [DeviceRequest(driver: "nvidia", count: -1, capabilities: [["gpu"]])]
        case .count(let count) where count <= 0: return nil
        case .count(let count): return [DeviceRequest(driver: "nvidia", count: count, capabilities: [["gpu"]])]
        }
    }
}
