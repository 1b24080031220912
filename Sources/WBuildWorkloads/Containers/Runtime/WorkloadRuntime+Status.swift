import Foundation
import WBuildCore
import WBuildDocker

extension WorkloadRuntime {
    /// Every workload of the project as the engine has it now (so it works from another
    /// process), completed with what this runtime knows (probe verdicts, restarts, crashes).
    /// Without that knowledge a running replica counts as ready.
    public func status() async throws(NodeFailure) -> [WorkloadState] {
        let all: [ContainerSummary]
        do {
            all = try await client.listContainers(labels: [projectLabel])
        } catch {
            throw engineFailure("listing the containers of project \(project)", error)
        }
        let workloads = Set(all.compactMap { $0.labels[ContainerLabels.workload] }).sorted()
        var states: [WorkloadState] = []
        for workload in workloads {
            states.append(await state(of: workload, containers: all.filter { $0.labels[ContainerLabels.workload] == workload }))
        }
        return states
    }

    /// One workload's state from the engine.
    func workloadState(_ workload: String) async throws(NodeFailure) -> WorkloadState {
        await state(of: workload, containers: try await containers(of: workload))
    }

    private func state(of workload: String, containers: [ContainerSummary]) async -> WorkloadState {
        let mains = containers.filter { ContainerLabels.isReplica($0.labels) }
        var replicas: [ReplicaState] = []
        for main in mains {
            guard let info = try? await client.inspectContainer(main.id) else { continue }
            let tracked = book.withLock { $0.tracked[main.id] }
            let sidecars = containers.filter { isSidecar($0, of: main) }
            let phase: WorkloadPhase
            var health = tracked?.health
            // Another process's restarts and crashes are known only from the engine's events.
            let history = tracked == nil ? await startHistory(main.id) : nil
            let ports = await answering(publishedPorts(info, plan: nil))
            if let tracked {
                phase = tracked.phase
            } else if info.state.running {
                // Started by another wbuild: ask its readiness probe once.
                if let readiness = ProbeLabel.decode(info.labels[ContainerLabels.readiness]) {
                    let passed = (try? await ProbeRunner(client: client).check(readiness, containerID: main.id, ports: ports).get()) != nil
                    health = passed ? "passing" : "failing"
                    phase = passed ? .ready : .unhealthy
                } else {
                    phase = .ready
                }
            } else if info.state.status == "created" {
                phase = .starting
            } else if history?.isCrashLooping(now: Int64(Date().timeIntervalSince1970)) == true {
                phase = .crashLooping
            } else {
                phase = .stopped
            }
            let exited = !info.state.running && info.state.status != "created"
            replicas.append(ReplicaState(
                replica: Int(main.labels[ContainerLabels.replica] ?? "") ?? 0, containerID: main.id,
                containerName: String(info.name.drop { $0 == "/" }), phase: phase, engineState: info.state.status,
                health: health, ports: ports, image: info.image,
                lastExitCode: tracked?.lastExitCode ?? (exited ? info.state.exitCode : history?.lastExitCode),
                oomKilled: (tracked?.oomKilled ?? false) || info.state.oomKilled, restarts: tracked?.restarts ?? history?.restarts ?? 0,
                sidecars: Dictionary(sidecars.map { ($0.labels[ContainerLabels.sidecar] ?? "", $0.state) },
                                     uniquingKeysWith: { first, _ in first })))
        }
        replicas.sort { ($0.replica, $0.containerName) < ($1.replica, $1.containerName) }
        var phase = replicas.map(\.phase).max() ?? .stopped
        let fingerprint = mains.first { $0.state == "running" }?.labels[ContainerLabels.fingerprint]
        var frontDoor: [PublishedPort] = []
        let hasDoor = containers.contains { ContainerLabels.isDoor($0.labels) }
        if let door = containers.first(where: { ContainerLabels.isDoor($0.labels) && $0.state == "running" }),
           let info = try? await client.inspectContainer(door.id) {
            frontDoor = await answering(publishedPorts(info, plan: nil))
        }
        // A workload behind a door that does not answer cannot be reached, whatever its replicas do.
        if hasDoor, frontDoor.isEmpty, phase < .unhealthy { phase = .unhealthy }
        return WorkloadState(workload: workload, phase: phase, fingerprint: fingerprint, replicas: replicas, frontDoor: frontDoor,
                             hasFrontDoor: hasDoor)
    }
}
