/// What one runtime knows beyond the engine: the containers it manages, their restarts and
/// crash history, which stops it made on purpose (so their `die` events are not crashes), and
/// the background tasks (liveness, pending restarts) that belong to each container.
struct RuntimeBook: Sendable {
    /// A container this runtime looks after.
    struct Tracked: Sendable {
        var workload: String
        var replica: Int
        /// The sidecar's name, nil for a replica's main container.
        var sidecar: String?
        /// For a sidecar: the main container whose namespace it shares.
        var mainID: String?
        var phase: WorkloadPhase
        var health: String?
        var restarts = 0
        /// Crashes in a row (reset when a run lasted a minute); drives the backoff.
        var crashes = 0
        var lastExitCode: Int?
        var oomKilled = false
        var lastStart = ContinuousClock.now
        var ports: [PublishedPort] = []
        /// The container's address on the project network (what its front door forwards to).
        var address: String?
    }

    /// A workload's front door as this runtime last saw it.
    struct Door: Sendable {
        var containerID: String
        var control: ControlEndpoint
        var ports: [PublishedPort]
    }

    /// The project's router as this runtime last saw it, and the plan it was given.
    struct Router: Sendable {
        var containerID: String
        var control: ControlEndpoint
        var plan: RouterPlan
    }

    var tracked: [String: Tracked] = [:]
    /// Container id → `die` events to ignore (deliberate restarts in flight).
    var expectedDies: [String: Int] = [:]
    /// Containers being stopped or removed for good: their events are ignored.
    var retired: Set<String> = []
    /// Background work per container (liveness watch, a pending crash restart).
    var tasks: [String: [Task<Void, Never>]] = [:]
    /// Replicas whose liveness probe runs.
    var livenessWatched: Set<String> = []
    /// The plan each workload runs now.
    var plans: [String: WorkloadPlan] = [:]
    /// What each workload's last `up` asked for (replayed by a reconciliation after an outage).
    var upRequests: [String: WorkloadRuntime.UpRequest] = [:]
    /// Where each workload was last reached (its URLs before an outage, to tell when they change).
    var endpoints: [String: [PublishedPort]] = [:]
    var networkID: String?
    /// Workload → its front door, for workloads that have one.
    var doors: [String: Door] = [:]
    /// The door image's tag, once ensured.
    var doorImage: String?
    /// The project's router, once this runtime ran or adopted it.
    var router: Router?
    /// Follows the router's requests (`route` events) while this runtime runs.
    var routerEvents: RouterEventStream?
    /// The router URL last announced (said once, not on every pass).
    var routerAnnounced: String?
    var monitor: Task<Void, Never>?
    var shuttingDown = false

    /// Stops tracking `id` for good; returns its tasks for cancelling.
    mutating func retire(_ id: String) -> [Task<Void, Never>] {
        retired.insert(id)
        tracked.removeValue(forKey: id)
        expectedDies.removeValue(forKey: id)
        livenessWatched.remove(id)
        return tasks.removeValue(forKey: id) ?? []
    }

    /// Consumes one expected `die` of `id`; whether there was one.
    mutating func consumeExpectedDie(_ id: String) -> Bool {
        guard let count = expectedDies[id], count > 0 else { return false }
        expectedDies[id] = count - 1
        return true
    }

    func sidecars(of mainID: String) -> [String] {
        tracked.filter { $0.value.mainID == mainID }.map(\.key).sorted()
    }
}
