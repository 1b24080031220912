import WBuildCore
import WBuildDocker

/// The engine going away and coming back. The monitor's event stream breaking is the first
/// sign: the runtime says so at once ("engine unreachable"), asks again with a growing wait,
/// and once the engine answers brings every workload it ran back to its spec — the same `up`
/// (replicas started or recreated, the front door adopted or recreated, the door's backend
/// table sent, the sync ledger replayed into every container that is new; the project's router
/// first) — and says when a workload's URL changed on the way.
extension WorkloadRuntime {
    /// What the last `up` of a workload asked for, so a reconciliation can ask for it again.
    struct UpRequest: Sendable {
        var fingerprint: Fingerprint
        var beforeStart: @Sendable (String) async throws -> Void
    }

    /// The key the reconciliation's task is kept under with the runtime's background work.
    static let reconcileTaskKey = "\u{0}reconcile"

    /// How long a reconciliation gives each workload to be ready again.
    static let reconcileTimeout: Duration = .seconds(60)

    /// The wait before asking the engine again, `attempt` 1, 2, …: 0.25 s doubling, at most 5 s.
    static func outageBackoff(attempt: Int) -> Duration {
        .milliseconds(min(5_000, 250 << min(max(attempt - 1, 0), 5)))
    }

    /// Called by the monitor when the event stream broke: whether the engine still answers.
    func engineAnswers() async -> Bool {
        (try? await client.ping()) != nil
    }

    func reportEngineUnreachable(_ error: (any Error)?) {
        let why = (error as? DockerError)?.message ?? error.map { "\($0)" } ?? "its event stream ended"
        events.emit(.warning("engine unreachable (\(why)); retrying with backoff — every workload is brought back to its spec "
                             + "when it answers"))
    }

    /// What a reconciliation brings back: each workload's plan and `up` request, where it was
    /// reached before the outage, and the containers known then. Read when the engine answers,
    /// before the event stream is listened to again (a door's `start` then records its new ports,
    /// and the URL change would go unsaid).
    func outageRequests() -> [(WorkloadPlan, UpRequest, [PublishedPort], Set<String>)] {
        book.withLock { book -> [(WorkloadPlan, UpRequest, [PublishedPort], Set<String>)] in
            // Exits the outage caused are not the process's crashes.
            for id in book.tracked.keys { book.tracked[id]?.crashes = 0 }
            let known = Set(book.tracked.keys)
            return book.plans.keys.sorted().compactMap { workload in
                guard let plan = book.plans[workload], let request = book.upRequests[workload] else { return nil }
                return (plan, request, book.doors[workload]?.ports ?? book.endpoints[workload] ?? [], known)
            }
        }
    }

    /// Brings every workload this runtime ran (`outageRequests`) back to its spec after the engine was away.
    func reconcileAfterOutage(_ requests: [(WorkloadPlan, UpRequest, [PublishedPort], Set<String>)]) async {
        events.emit(.warning("the engine answers again; bringing \(requests.count) workload(s) back to the spec"))
        // The router first (adopted or made again, its table and backends sent): the workloads'
        // replicas are sent to it as they come back. Its own `start` happened while the event
        // stream was down, so nothing else tells it.
        if let router = book.withLock({ $0.router?.plan }) {
            book.withLock { $0.networkID = nil }
            do {
                try await ensureRouter(router)
            } catch {
                events.emit(.warning("router: could not be brought back after the engine outage: \(error.message)"))
            }
        }
        for (plan, request, before, known) in requests {
            // The network may be gone with the engine's state: look it up again.
            book.withLock { $0.networkID = nil }
            emit(plan.workload, .starting, "the engine is back: reconciling with the spec")
            let state: WorkloadState
            do {
                state = try await up(plan, fingerprint: request.fingerprint, beforeStart: request.beforeStart,
                                     timeout: Self.reconcileTimeout)
            } catch {
                events.emit(.warning("workload:\(plan.workload): could not be brought back after the engine outage: \(error.message)"
                                     + (error.hint.map { " (\($0))" } ?? "")))
                continue
            }
            // Containers made anew get what was synced since the image was built.
            for replica in state.replicas where !known.contains(replica.containerID) {
                await runRestartHook(plan, replica.containerID)
            }
            let after = state.endpoints
            let old = before.compactMap(\.url), new = after.compactMap(\.url)
            if !old.isEmpty, old != new {
                emit(plan.workload, .ready, "URL changed: \(old.joined(separator: " ")) → \(new.joined(separator: " ")) "
                     + "(the engine restarted and gave it new ports)")
            }
        }
        if let hook = engineBackHook.withLock({ $0 }) { await hook() }
    }
}
