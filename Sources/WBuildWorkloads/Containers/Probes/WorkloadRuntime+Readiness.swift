import WBuildCore
import WBuildDocker

extension WorkloadRuntime {
    /// Crashes in a row after which `up` gives up on a workload instead of waiting out its timeout.
    static let crashLoopLimit = 3
    /// How long a replica without a readiness probe must have run, uninterrupted, to count as
    /// ready: a process that exits at once is never "ready" for the moment it ran.
    static let stableRun: Duration = .seconds(1)

    /// Polls each replica's readiness until all pass or the deadline passes. A replica is ready
    /// only while it runs: with a probe once the probe passed, without one once it has run for
    /// `stableRun`. A replica that crashed `crashLoopLimit` times in a row fails at once, with
    /// its exit code and last log lines, instead of waiting for the deadline.
    func awaitReady(_ ids: [String], plan: WorkloadPlan, deadline: ContinuousClock.Instant) async throws(NodeFailure) {
        let probes = ProbeRunner(client: client)
        let meter = ProgressMeter(id: nodeID(plan.workload), events: events)
        for (readyCount, id) in ids.enumerated() {
            if let delay = plan.readiness?.initialDelayMs, delay > 0, book.withLock({ $0.tracked[id]?.phase }) == .starting {
                try? await Task.sleep(for: .milliseconds(delay))
            }
            var lastFailure = "it never ran"
            while true {
                let tracked = book.withLock { $0.tracked[id] }
                if let tracked, tracked.crashes >= Self.crashLoopLimit {
                    throw await crashLoopFailure(id, tracked: tracked, plan: plan)
                }
                let info = try? await client.inspectContainer(id)
                if tracked?.phase == .ready, info?.state.running == true { break }
                if let info, info.state.running {
                    let ports = tracked?.ports ?? publishedPorts(info, plan: plan)
                    guard let readiness = plan.readiness else {
                        let since = tracked?.lastStart ?? .now
                        if tracked?.phase != .crashLooping, ContinuousClock.now - since >= Self.stableRun {
                            markReady(id, plan: plan)
                            break
                        }
                        lastFailure = "it has not yet run for \(Self.stableRun.formattedSeconds) without exiting"
                        if ContinuousClock.now >= deadline {
                            throw NodeFailure("workload `\(plan.workload)` replica \(tracked?.replica ?? 0) was not ready in time: \(lastFailure)",
                                              tail: await lastLogLines(id),
                                              hint: "see `wbuild logs \(plan.workload)`; the timeout is --timeout")
                        }
                        try? await Task.sleep(for: .milliseconds(100))
                        continue
                    }
                    switch await probes.check(readiness, containerID: id, ports: ports) {
                    case .success:
                        markReady(id, plan: plan)
                    case .failure(let failure):
                        lastFailure = failure.message
                        book.withLock { $0.tracked[id]?.health = "failing" }
                    }
                    if book.withLock({ $0.tracked[id]?.phase }) == .ready { break }
                } else if let info {
                    lastFailure = "it exited with code \(info.state.exitCode)" + (info.state.oomKilled ? " (OOM killed)" : "")
                } else {
                    lastFailure = "its container is gone"
                }
                if Task.isCancelled {
                    throw NodeFailure("workload `\(plan.workload)`: cancelled while waiting for it to be ready")
                }
                meter.report(NodeProgress(phase: "waiting for readiness", done: readyCount, total: ids.count, unit: .replicas,
                                          detail: lastFailure))
                if ContinuousClock.now >= deadline {
                    let replica = tracked?.replica ?? 0
                    throw NodeFailure("workload `\(plan.workload)` replica \(replica) was not ready in time: \(lastFailure)",
                                      tail: await lastLogLines(id),
                                      hint: "see `wbuild logs \(plan.workload)`; the readiness probe and the timeout are in wbuild.json / --timeout")
                }
                try? await Task.sleep(for: .milliseconds(max(50, min(plan.readiness?.intervalMs ?? 200, 1000))))
            }
        }
    }

    /// The failure of a replica that keeps crashing: how often, its last exit code, its last lines.
    func crashLoopFailure(_ id: String, tracked: RuntimeBook.Tracked, plan: WorkloadPlan) async -> NodeFailure {
        let code = tracked.lastExitCode.map { "code \($0)" } ?? "an unknown code"
        return NodeFailure("workload `\(plan.workload)` is crash-looping: replica \(tracked.replica) exited \(tracked.crashes) times in a row, "
                            + "last with \(code)" + (tracked.oomKilled ? " (OOM killed)" : ""),
                           tail: await lastLogLines(id),
                           hint: "see `wbuild logs \(plan.workload)`; fix the process (its command, env or image) and run again")
    }

    func markReady(_ id: String, plan: WorkloadPlan) {
        let isReplica = book.withLock { book -> Bool in
            book.tracked[id]?.phase = .ready
            book.tracked[id]?.health = plan.readiness == nil ? nil : "passing"
            return book.tracked[id]?.sidecar == nil
        }
        if isReplica { requestDoorSync(plan.workload) }
    }

    /// The last `count` lines the container wrote (both streams). An empty answer is asked
    /// again for up to two seconds: one `logs` call in a few dozen under load was seen to come
    /// back empty for a container that had written lines.
    func lastLogLines(_ id: String, count: Int = 20) async -> [String] {
        let deadline = ContinuousClock.now + .seconds(2)
        while true {
            var lines: [String] = []
            do {
                for try await line in try await client.logs(id, tail: count) {
                    lines.append(line.text)
                }
            } catch {
                return ["(logs unavailable: \(error))"]
            }
            if !lines.isEmpty || ContinuousClock.now >= deadline { return lines }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
