import WBuildCore
import WBuildDocker

extension WorkloadRuntime {
    /// Brings `plan`'s containers to `fingerprint`, idempotently, and returns once every
    /// replica is ready (its readiness probe passed, or it runs when it has none).
    ///
    /// - Replicas already running with this fingerprint (labelled `dev.wbuild.fingerprint`) are
    ///   adopted as they are, also when another wbuild process started them.
    /// - Otherwise new replicas start beside the old ones, on the project network under their
    ///   container names only. A workload with ports is reached through its front door
    ///   (`WorkloadRuntime+Door`), started alongside: once all new replicas are ready the door
    ///   sends new connections to them, lets those open to the old ones finish, and the old ones
    ///   are stopped and removed. Its URL stays, and no request fails or hangs during the swap.
    ///   A workload without ports gets its name on the network (`ensureAlias`) once ready, and
    ///   the old replicas leave the network before they stop. A ready workload never goes dark
    ///   and never answers from a replica that is not ready.
    ///   (A fixed host port on a replica itself, i.e. the debugger's, cannot be held twice:
    ///   then the old replica stops first.)
    /// - `beforeStart(containerID)` runs after create and before start (to copy files in).
    /// - When the new replicas are not ready within `timeout`, `up` fails with the last probe
    ///   failure and the last log lines; the old replicas, if any, keep serving and the new ones
    ///   are removed. Without old replicas the new ones stay for inspection (off the workload's
    ///   name); the next `up` adopts them. Cancelling `up` ends it the same way, at the next probe.
    /// - With `replace` (`up --force`, `wbuild restart`), replicas already running with this
    ///   fingerprint are replaced all the same, the same way: they give up their names
    ///   (renamed `…-replaced-<id>`) and serve until the new ones are ready.
    /// - Calls for the same workload run one after the other.
    @discardableResult
    public func up(_ plan: WorkloadPlan, fingerprint: Fingerprint,
                   beforeStart: @escaping @Sendable (String) async throws -> Void = { _ in },
                   timeout: Duration = .seconds(60), replace: Bool = false) async throws(NodeFailure) -> WorkloadState {
        let deadline = ContinuousClock.now + timeout
        await gate.enter(plan.workload)
        defer { gate.leave(plan.workload) }
        if Task.isCancelled {
            throw NodeFailure("workload `\(plan.workload)`: cancelled before it started")
        }
        return try await converge(plan, fingerprint: fingerprint, beforeStart: beforeStart, deadline: deadline, replace: replace)
    }

    private func converge(_ plan: WorkloadPlan, fingerprint: Fingerprint,
                          beforeStart: @escaping @Sendable (String) async throws -> Void,
                          deadline: ContinuousClock.Instant, replace: Bool) async throws(NodeFailure) -> WorkloadState {
        try await ensureNetwork()
        try await ensureVolumes(plan)
        try await checkGPUs(plan)
        startMonitoring()
        book.withLock {
            $0.plans[plan.workload] = plan
            $0.upRequests[plan.workload] = UpRequest(fingerprint: fingerprint, beforeStart: beforeStart)
        }
        let blueprint = ContainerBlueprint(plan: plan, fingerprint: fingerprint, engineInit: engineInit)

        var existing = try await containers(of: plan.workload)
        if replace { existing = try await freeNames(existing, fingerprint: fingerprint) }
        let mains = existing.filter { ContainerLabels.isReplica($0.labels) }
        var kept: [Int: String] = [:]
        var stale: [ContainerSummary] = []
        for container in mains {
            let replica = Int(container.labels[ContainerLabels.replica] ?? "") ?? -1
            let current = !replace && container.labels[ContainerLabels.fingerprint] == fingerprint.hex
                && (0..<plan.replicas).contains(replica)
            if current && container.state == "running" && kept[replica] == nil {
                kept[replica] = container.id
            } else if current {
                // Same generation but not running (or a duplicate): its name is needed again.
                await remove([container.id] + existing.filter { isSidecar($0, of: container) }.map(\.id), grace: 0)
            } else {
                stale.append(container)
            }
        }
        for (replica, id) in kept.sorted(by: { $0.key < $1.key }) {
            await adopt(id, replica: replica, plan: plan)
            try await ensureSidecars(of: id, replica: replica, blueprint: blueprint, existing: existing)
        }
        // The front door starts while the replicas do.
        async let doorFailure = doorOutcome(plan, existing: existing)
        if blueprint.replicaHoldsFixedHostPort && kept.count < plan.replicas && !stale.isEmpty {
            // A fixed host port cannot be bound twice: the old replicas must go first.
            await retireAll(stale, existing: existing, grace: plan.stopGraceMs)
            stale = []
        }
        // Replacing replicas that serve: the new ones take the workload's name only once ready.
        let announced = !stale.contains { $0.state == "running" }
        var fresh: [String] = []
        do throws(NodeFailure) {
            for replica in 0..<plan.replicas where kept[replica] == nil {
                let id = try await startReplica(replica, blueprint: blueprint, announced: announced, beforeStart: beforeStart)
                fresh.append(id)
                kept[replica] = id
            }
            try await awaitReady(Array(kept.values), plan: plan, deadline: deadline)
            if let failure = await doorFailure { throw failure }
        } catch {
            if !stale.isEmpty && stale.contains(where: { $0.state == "running" }) {
                // Keep the old generation serving; drop the new one that never got ready.
                await remove(fresh + fresh.flatMap { id in book.withLock { $0.sidecars(of: id) } }, grace: 0)
            }
            throw error
        }
        if plan.hasFrontDoor {
            await syncDoor(plan.workload)
        }
        for (replica, id) in kept.sorted(by: { $0.key < $1.key }) {
            if !plan.hasFrontDoor { try await ensureAlias(id, plan: plan) }
            startLiveness(id, replica: replica, plan: plan)
        }
        await retireAll(stale, existing: existing, grace: plan.stopGraceMs)
        // Sidecars left by an earlier generation whose replica is gone (a wbuild that died mid-way).
        let strays = existing.filter {
            $0.labels[ContainerLabels.sidecar] != nil && $0.labels[ContainerLabels.fingerprint] != fingerprint.hex
        }
        await remove(strays.map(\.id), grace: 0)
        var state = try await workloadState(plan.workload)
        // A replica that exited after it counted as ready (on a slow machine its first second
        // can pass before its process even ran): wait again; a crash loop fails it there.
        while !kept.isEmpty, state.phase == .crashLooping || state.phase == .stopped {
            try await awaitReady(Array(kept.values), plan: plan, deadline: deadline)
            state = try await workloadState(plan.workload)
        }
        book.withLock { $0.endpoints[plan.workload] = state.endpoints }
        emit(plan.workload, .ready, describe(state.endpoints))
        return state
    }

    /// For a replacement with the same fingerprint: renames the replicas (and sidecars) that run
    /// it to `<name>-replaced-<id>`, so the new ones can take their names; returns `existing`
    /// with the new names.
    private func freeNames(_ existing: [ContainerSummary], fingerprint: Fingerprint) async throws(NodeFailure) -> [ContainerSummary] {
        var renamed: [ContainerSummary] = []
        for var container in existing {
            if container.labels[ContainerLabels.fingerprint] == fingerprint.hex, !ContainerLabels.isDoor(container.labels),
               let name = container.names.first.map({ String($0.drop { $0 == "/" }) }), !name.contains("-replaced-") {
                let newName = "\(name)-replaced-\(container.id.prefix(8))"
                do {
                    try await client.renameContainer(container.id, to: newName)
                } catch {
                    throw engineFailure("renaming \(name) so that a new replica can take its name", error)
                }
                container.names = ["/" + newName]
            }
            renamed.append(container)
        }
        return renamed
    }

    /// `ensureDoor`'s failure, if any (for running it beside the replicas' start).
    private func doorOutcome(_ plan: WorkloadPlan, existing: [ContainerSummary]) async -> NodeFailure? {
        do {
            try await ensureDoor(plan, existing: existing)
            return nil
        } catch {
            return error
        }
    }

    func containers(of workload: String) async throws(NodeFailure) -> [ContainerSummary] {
        do {
            return try await client.listContainers(labels: [projectLabel, ContainerLabels.workloadFilter(workload)])
        } catch {
            throw engineFailure("listing the containers of \(workload)", error)
        }
    }

    func isSidecar(_ candidate: ContainerSummary, of main: ContainerSummary) -> Bool {
        candidate.labels[ContainerLabels.sidecar] != nil
            && candidate.labels[ContainerLabels.fingerprint] == main.labels[ContainerLabels.fingerprint]
            && candidate.labels[ContainerLabels.replica] == main.labels[ContainerLabels.replica]
    }

    private func checkGPUs(_ plan: WorkloadPlan) async throws(NodeFailure) {
        guard let gpus = plan.resources.gpus, ContainerBlueprint.deviceRequests(gpus) != nil else { return }
        let runtimes: [String]
        do {
            runtimes = try await client.info().runtimes
        } catch {
            throw engineFailure("asking the engine for its runtimes", error)
        }
        guard runtimes.contains("nvidia") else {
            throw NodeFailure("workload `\(plan.workload)` asks for GPUs, but the engine has no GPU runtime (runtimes: \(runtimes.joined(separator: ", ")))",
                              hint: "install the NVIDIA Container Toolkit and register the `nvidia` runtime, or set resources.gpus to 0")
        }
    }

    /// Tracks a running container of the right generation without touching it.
    private func adopt(_ id: String, replica: Int, plan: WorkloadPlan) async {
        let info = try? await client.inspectContainer(id)
        let ports = info.map { publishedPorts($0, plan: plan) } ?? []
        let address = info.flatMap(networkAddress)
        book.withLock { book in
            if book.tracked[id] == nil {
                // It already runs: it counts as having run long enough (readiness needs no wait for it).
                book.tracked[id] = RuntimeBook.Tracked(workload: plan.workload, replica: replica, phase: .starting,
                                                       lastStart: .now - Self.stableRun, ports: ports, address: address)
            } else {
                book.tracked[id]?.ports = ports
                book.tracked[id]?.address = address
            }
        }
    }

    /// Creates, prepares and starts one replica and its sidecars; returns its id.
    private func startReplica(_ replica: Int, blueprint: ContainerBlueprint, announced: Bool,
                              beforeStart: @Sendable (String) async throws -> Void) async throws(NodeFailure) -> String {
        let plan = blueprint.plan
        let config: ContainerConfig
        do {
            config = try blueprint.replica(replica, announced: announced)
        } catch {
            throw error.nodeFailure
        }
        let name = blueprint.replicaName(replica)
        let id = try await createContainer(named: name, config: config)
        book.withLock { $0.tracked[id] = RuntimeBook.Tracked(workload: plan.workload, replica: replica, phase: .starting) }
        do {
            try await beforeStart(id)
        } catch {
            await remove([id], grace: 0)
            throw NodeFailure("preparing \(name) before its start failed: \(error)")
        }
        do {
            try await client.startContainer(id)
        } catch {
            await remove([id], grace: 0)
            throw engineFailure("starting \(name)", error)
        }
        book.withLock { $0.tracked[id]?.lastStart = .now }
        // Behind a front door the replica's own ports are not where users reach it.
        let ports = await refreshPorts(id, plan: plan).filter { !plan.hasFrontDoor || $0.isDebug }
        emit(plan.workload, .starting, "replica \(replica) started as \(name)" + (ports.isEmpty ? "" : " on " + describe(ports)))
        try await ensureSidecars(of: id, replica: replica, blueprint: blueprint, existing: [])
        return id
    }
}
