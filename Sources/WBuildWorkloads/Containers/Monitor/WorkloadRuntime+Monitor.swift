import Foundation
import WBuildCore
import WBuildDocker

extension WorkloadRuntime {
    /// The engine events the monitor listens to.
    static let monitoredEvents = ["start", "die", "oom", "health_status", "destroy"]

    /// Starts the one engine event stream of this runtime (idempotent). Crashes are noticed
    /// here, not by polling: a managed container that dies without wbuild stopping it is
    /// restarted after 0.5 s, 1 s, 2 s … (at most 30 s), reported crash-looping.
    func startMonitoring() {
        book.withLock { book in
            guard book.monitor == nil, !book.shuttingDown else { return }
            let filters = [
                "type": ["container"], "label": [projectLabel], "event": Self.monitoredEvents,
            ]
            book.monitor = Task { [weak self, client] in
                var since = Int64(Date().timeIntervalSince1970)
                var lastNano: Int64 = 0
                var outage = 0  // failed asks since the engine went away; 0 while it answers
                while !Task.isCancelled {
                    if outage > 0 {
                        // Away: ask again with a growing wait; once it answers, reconcile, then listen again.
                        guard let self else { return }
                        guard await self.engineAnswers() else {
                            outage += 1
                            try? await Task.sleep(for: Self.outageBackoff(attempt: outage))
                            continue
                        }
                        outage = 0
                        // What happened while it was away is reconciled, not replayed. In the
                        // background, so the stream reports crashes meanwhile.
                        since = Int64(Date().timeIntervalSince1970)
                        // What ran, and where it was reached, as of now: before the stream (listening
                        // again) records a restarted door's new ports.
                        let requests = self.outageRequests()
                        let reconcile = Task { [weak self] () -> Void in await self?.reconcileAfterOutage(requests) }
                        self.attach(reconcile, to: Self.reconcileTaskKey)
                    }
                    var failure: (any Error)?
                    do {
                        for try await event in try await client.events(filters: filters, since: since) {
                            let nano = event.timeNano ?? event.time * 1_000_000_000
                            guard nano > lastNano else { continue }  // replayed after a reconnect
                            lastNano = nano
                            since = event.time
                            guard let self else { return }
                            await self.handle(event)
                        }
                    } catch {
                        if Task.isCancelled { return }
                        failure = error
                    }
                    // Cancelled (a shutdown) while the stream ended: nothing went away.
                    guard let self, !Task.isCancelled else { return }
                    // The stream ended or broke: the first sign of an engine going away.
                    if await self.engineAnswers() {
                        try? await Task.sleep(for: .milliseconds(500))
                        continue
                    }
                    if Task.isCancelled { return }
                    self.reportEngineUnreachable(failure)
                    outage = 1
                    try? await Task.sleep(for: Self.outageBackoff(attempt: outage))
                }
            }
        }
    }

    private func handle(_ event: DockerEvent) async {
        let id = event.actorID
        let action = event.action
        if action == "start", let workload = book.withLock({ $0.doors.first { $0.value.containerID == id }?.key }) {
            await doorRestarted(id, workload: workload)
            return
        }
        if action == "start", isRouter(id) {
            await routerRestarted(id)
            return
        }
        let known = book.withLock { book -> Bool in
            book.tracked[id] != nil && !book.retired.contains(id)
        }
        guard known else {
            if action == "start" { await adoptStartedElsewhere(id) }
            return
        }
        switch action {
        case "oom":
            book.withLock { $0.tracked[id]?.oomKilled = true }
        case "destroy":
            let tasks = book.withLock { $0.retire(id) }
            tasks.forEach { $0.cancel() }
        case "die":
            guard !book.withLock({ $0.consumeExpectedDie(id) }), !retireIfReplacedElsewhere(id) else { return }
            await crashed(id, exitCode: event.attributes["exitCode"].flatMap { Int($0) })
        default:
            break
        }
    }

    /// Records a crash and schedules the restart after the backoff.
    private func crashed(_ id: String, exitCode: Int?) async {
        let info = try? await client.inspectContainer(id)
        let noted = book.withLock { book -> (RuntimeBook.Tracked, WorkloadPlan?)? in
            guard var tracked = book.tracked[id] else { return nil }
            if ContinuousClock.now - tracked.lastStart > .seconds(60) { tracked.crashes = 0 }
            tracked.crashes += 1
            tracked.phase = .crashLooping
            tracked.lastExitCode = exitCode ?? info?.state.exitCode
            tracked.oomKilled = tracked.oomKilled || (info?.state.oomKilled ?? false)
            book.tracked[id] = tracked
            return (tracked, book.plans[tracked.workload])
        }
        guard let (tracked, plan) = noted, let plan else { return }
        if tracked.sidecar == nil { requestDoorSync(tracked.workload) }
        let delay = Self.backoff(afterCrashes: tracked.crashes)
        let who = "replica \(tracked.replica)" + (tracked.sidecar.map { " sidecar \($0)" } ?? "")
        let code = tracked.lastExitCode.map { "code \($0)" } ?? "an unknown code"
        emit(tracked.workload, .crashLooping,
             "\(who) exited with \(code)" + (tracked.oomKilled ? " (OOM killed)" : "")
                + "; restarting in \(delay.formattedSeconds)")
        let task = Task { [weak self] in
            try? await Task.sleep(for: delay)
            guard let self, !Task.isCancelled else { return }
            await self.restartAfterCrash(id, plan: plan, isSidecar: tracked.sidecar != nil)
        }
        attach(task, to: id)
    }

    /// Starts a crashed container again. A start that fails (the engine is away, say) is tried
    /// again after a growing wait, never dropped; a container the engine no longer has is left
    /// to the reconciliation that recreates it.
    func restartAfterCrash(_ id: String, plan: WorkloadPlan, isSidecar: Bool, attempt: Int = 1) async {
        let stillOurs = book.withLock { book -> Bool in
            guard book.tracked[id] != nil, !book.retired.contains(id), !book.shuttingDown else { return false }
            if attempt == 1 { book.tracked[id]?.restarts += 1 }
            book.tracked[id]?.phase = .starting
            book.tracked[id]?.lastStart = .now
            return true
        }
        guard stillOurs else { return }
        do {
            try await client.startContainer(id)
        } catch {
            if let docker = error as? DockerError, docker.status == 404 {
                events.emit(.warning("workload:\(plan.workload): \(id.prefix(12)) is gone from the engine; it is recreated from the spec"))
                book.withLock { $0.tracked[id]?.phase = .stopped }
                return
            }
            let delay = Self.backoff(afterCrashes: attempt)
            book.withLock { $0.tracked[id]?.phase = .crashLooping }
            if attempt == 1 {  // once: during an outage every try fails the same way
                let why = (error as? DockerError)?.message ?? "\(error)"
                events.emit(.warning("workload:\(plan.workload): restarting \(id.prefix(12)) failed: \(why); trying again with backoff"))
            }
            let retry = Task { [weak self] in
                try? await Task.sleep(for: delay)
                guard let self, !Task.isCancelled else { return }
                await self.restartAfterCrash(id, plan: plan, isSidecar: isSidecar, attempt: attempt + 1)
            }
            attach(retry, to: id)
            return
        }
        let ports = await refreshPorts(id, plan: plan)
        guard !isSidecar else {
            markReady(id, plan: plan)
            return
        }
        await runRestartHook(plan, id)
        await restartSidecars(of: id)
        if plan.readiness == nil {
            // Ready again once it has run for a moment without exiting (a crash meanwhile says otherwise).
            try? await Task.sleep(for: Self.stableRun)
            if (try? await client.inspectContainer(id))?.state.running == true, book.withLock({ $0.tracked[id]?.phase }) == .starting {
                markReady(id, plan: plan)
            }
        } else if let readiness = plan.readiness {
            // Ready again once the probe passes (unless it crashes first).
            let probes = ProbeRunner(client: client)
            while !Task.isCancelled, book.withLock({ $0.tracked[id]?.phase }) == .starting {
                if case .success = await probes.check(readiness, containerID: id, ports: ports) {
                    markReady(id, plan: plan)
                    let shown = frontDoorPorts(plan.workload) ?? ports
                    emit(plan.workload, .ready, "restarted and ready" + (shown.isEmpty ? "" : " on " + describe(shown)))
                    return
                }
                try? await Task.sleep(for: .milliseconds(max(50, readiness.intervalMs)))
            }
        }
    }

    /// 0.5 s after the first crash, doubling each time, at most 30 s.
    static func backoff(afterCrashes crashes: Int) -> Duration {
        .milliseconds(min(30_000, 500 << min(max(crashes - 1, 0), 6)))
    }
}
