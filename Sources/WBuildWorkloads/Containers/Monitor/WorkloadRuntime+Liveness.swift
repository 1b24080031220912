import WBuildCore
import WBuildSpec

extension WorkloadRuntime {
    /// Runs the liveness probe of replica `id` every interval; after `failureThreshold`
    /// failures in a row the container is restarted (with its sidecars). A failing probe
    /// marks the replica unhealthy; passing again marks it ready. A startup probe, when given,
    /// must pass once first (as Kubernetes' `startupProbe` holds liveness back).
    func startLiveness(_ id: String, replica: Int, plan: WorkloadPlan) {
        guard let liveness = plan.liveness, book.withLock({ $0.livenessWatched.insert(id).inserted }) else { return }
        let task = Task { [weak self, client] in
            let probes = ProbeRunner(client: client)
            var failures = 0
            if let startup = plan.startup {
                guard await self?.awaitStartup(id, replica: replica, plan: plan, startup: startup, probes: probes) == true else { return }
            }
            try? await Task.sleep(for: .milliseconds(liveness.initialDelayMs))
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(max(50, liveness.intervalMs)))
                guard let self, !Task.isCancelled else { return }
                guard let tracked = self.book.withLock({ $0.tracked[id] }), tracked.phase != .crashLooping else { continue }
                switch await probes.check(liveness, containerID: id, ports: tracked.ports) {
                case .success:
                    failures = 0
                    if tracked.phase == .unhealthy || tracked.phase == .starting {
                        self.markReady(id, plan: plan)
                        self.emit(plan.workload, .ready, "replica \(replica) is alive again")
                    }
                case .failure(let failure):
                    failures += 1
                    self.book.withLock { book in
                        book.tracked[id]?.phase = .unhealthy
                        book.tracked[id]?.health = "failing"
                    }
                    self.emit(plan.workload, .unhealthy,
                              "replica \(replica): liveness failed (\(failures)/\(liveness.failureThreshold)): \(failure.message)")
                    guard failures >= liveness.failureThreshold else { continue }
                    failures = 0
                    self.emit(plan.workload, .starting, "replica \(replica): restarting after \(liveness.failureThreshold) liveness failures")
                    do {
                        try await self.restartContainer(id, plan: plan)
                    } catch {
                        self.events.emit(.warning("workload:\(plan.workload) replica \(replica) could not be restarted: \(error)"))
                    }
                    try? await Task.sleep(for: .milliseconds(liveness.initialDelayMs))
                }
            }
        }
        attach(task, to: id)
    }

    /// Runs `startup` until it passes once (true) or the task is cancelled (false); after
    /// `failureThreshold` failures in a row the container is restarted and the count begins again.
    private func awaitStartup(_ id: String, replica: Int, plan: WorkloadPlan, startup: ProbeSpec,
                              probes: ProbeRunner) async -> Bool {
        var failures = 0
        try? await Task.sleep(for: .milliseconds(startup.initialDelayMs))
        while !Task.isCancelled {
            guard let tracked = book.withLock({ $0.tracked[id] }) else { return false }
            if tracked.phase != .crashLooping {
                switch await probes.check(startup, containerID: id, ports: tracked.ports) {
                case .success:
                    return true
                case .failure(let failure):
                    failures += 1
                    if failures >= startup.failureThreshold {
                        failures = 0
                        emit(plan.workload, .starting,
                             "replica \(replica): restarting after \(startup.failureThreshold) startup probe failures: \(failure.message)")
                        do {
                            try await restartContainer(id, plan: plan)
                        } catch {
                            events.emit(.warning("workload:\(plan.workload) replica \(replica) could not be restarted: \(error)"))
                        }
                        try? await Task.sleep(for: .milliseconds(startup.initialDelayMs))
                    }
                }
            }
            try? await Task.sleep(for: .milliseconds(max(50, startup.intervalMs)))
        }
        return false
    }
}
