import WBuildCore
import WBuildDocker

extension WorkloadRuntime {
    /// Retires `ids` (their events are ignored from now on), stops each with `grace`
    /// milliseconds, and removes it. Containers already gone are fine.
    func remove(_ ids: [String], grace: Int) async {
        guard !ids.isEmpty else { return }
        let tasks = book.withLock { book in ids.flatMap { book.retire($0) } }
        tasks.forEach { $0.cancel() }
        let client = self.client
        let seconds = ContainerBlueprint.seconds(ms: grace)
        await withTaskGroup(of: Void.self) { group in
            for id in ids {
                group.addTask {
                    if seconds > 0 { try? await client.stopContainer(id, timeout: seconds) }
                    try? await client.removeContainer(id, force: true)
                }
            }
        }
    }

    /// Takes one workload's old replicas out of service, so no new connection reaches them:
    /// behind a front door, the door stops sending them connections and those open drain
    /// (`drainDoor`); otherwise they leave the network. Then they are stopped with the grace
    /// period and removed, with their sidecars.
    func retireAll(_ mains: [ContainerSummary], existing: [ContainerSummary], grace: Int) async {
        guard let workload = mains.first?.labels[ContainerLabels.workload] else { return }
        let client = self.client
        let behindDoor = book.withLock { $0.doors[workload] != nil }
        var addresses: [String] = []
        if behindDoor {
            for main in mains where main.state == "running" {
                if let info = try? await client.inspectContainer(main.id), let address = networkAddress(info) {
                    addresses.append(address)
                }
            }
        }
        let sidecars = existing.filter { candidate in mains.contains { isSidecar(candidate, of: $0) } }
        let ids = mains.map(\.id) + sidecars.map(\.id)
        let tasks = book.withLock { book in ids.flatMap { book.retire($0) } }
        tasks.forEach { $0.cancel() }
        if behindDoor {
            await syncDoor(workload)
            await drainDoor(workload, addresses: addresses)
        } else {
            let network = networkName
            await withTaskGroup(of: Void.self) { group in
                for main in mains where main.state == "running" {
                    group.addTask { try? await client.disconnectNetwork(network, container: main.id, force: true) }
                }
            }
        }
        await remove(sidecars.map(\.id), grace: 0)
        await remove(mains.map(\.id), grace: grace)
    }

    /// Restarts `id` on purpose (its `die` is expected), re-reads its ports and restarts its
    /// sidecars, whose network namespace died with it.
    func restartContainer(_ id: String, plan: WorkloadPlan) async throws {
        book.withLock { book in
            book.expectedDies[id, default: 0] += 1
            book.tracked[id]?.phase = .starting
            book.tracked[id]?.restarts += 1
        }
        // The front door holds new connections until the replica is ready again.
        await syncDoor(plan.workload)
        try await client.restartContainer(id, timeout: ContainerBlueprint.seconds(ms: plan.stopGraceMs))
        book.withLock { $0.tracked[id]?.lastStart = .now }
        await refreshPorts(id, plan: plan)
        await runRestartHook(plan, id)
        await restartSidecars(of: id)
    }

    /// Restarts the sidecars of `mainID` (a sidecar keeps a dead namespace when its workload restarts).
    func restartSidecars(of mainID: String) async {
        let sidecars = book.withLock { book in
            let ids = book.sidecars(of: mainID)
            for id in ids { book.expectedDies[id, default: 0] += 1 }
            return ids
        }
        for id in sidecars {
            guard let info = try? await client.inspectContainer(id) else { continue }
            if info.state.running {
                try? await client.restartContainer(id, timeout: 1)
            } else {
                // Not running: no die will come for it.
                book.withLock { _ = $0.consumeExpectedDie(id) }
                try? await client.startContainer(id)
            }
            book.withLock { $0.tracked[id]?.lastStart = .now }
        }
    }
}
