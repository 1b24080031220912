import Synchronization
import WBuildCore
import WBuildDocker

/// Runs a project's workloads as containers on the local engine, one runtime per project:
/// the project network, idempotent `up` (adopt what runs with the same fingerprint, replace
/// the rest without going dark), probes, crash restarts with backoff from the engine's event
/// stream, sidecars, `down`, orphans, `status` and `logs`.
///
/// Everything it creates is labelled (`ContainerLabels`), so a later runtime, in this process
/// or another, finds, adopts or removes it. Dropping a runtime leaves containers running;
/// call `shutdown()` to stop its background work, `down` to remove everything.
public final class WorkloadRuntime: Sendable {
    public let project: String
    let client: DockerClient
    let events: EventSink
    let book = Mutex(RuntimeBook())
    /// One `up` (or restart) per workload at a time.
    let gate = WorkloadGate()
    /// Run processes under the engine's init (see `ProcessWrapping`).
    let engineInit: Bool
    /// Called after the runtime itself restarted a container (crash, liveness), before it is
    /// marked ready again: the live-update ledger is replayed here.
    let restartHook = Mutex<(@Sendable (WorkloadPlan, String) async -> Void)?>(nil)
    /// Every secret value its plans carried, masked in the logs it forwards (see `SecretMask`).
    let secretValues = Mutex<Set<SecretValue>>([])

    /// - Parameters:
    ///   - useEngineInit: run processes under the engine's init (tini), unless wbuild's
    ///     live-update supervisor runs them.
    public init(project: String, client: DockerClient, events: EventSink = .none, useEngineInit: Bool = true) {
        self.project = project
        self.client = client
        self.events = events
        self.engineInit = useEngineInit
    }

    /// Called once a reconciliation after an engine outage has finished (`watch` re-runs what
    /// failed while the engine was away).
    let engineBackHook = Mutex<(@Sendable () async -> Void)?>(nil)

    /// Sets what runs when the engine answers again after an outage and the workloads are back.
    public func onEngineBack(_ hook: @escaping @Sendable () async -> Void) {
        engineBackHook.withLock { $0 = hook }
    }

    /// Sets what runs after the runtime restarts a container on its own (see `restartHook`).
    public func onRestart(_ hook: @escaping @Sendable (WorkloadPlan, String) async -> Void) {
        restartHook.withLock { $0 = hook }
    }

    func runRestartHook(_ plan: WorkloadPlan, _ containerID: String) async {
        if let hook = restartHook.withLock({ $0 }) { await hook(plan, containerID) }
    }

    var networkName: String { ContainerLabels.networkName(project: project) }
    var projectLabel: String { ContainerLabels.projectFilter(project) }

    /// Creates the project network `wbuild-<project>` (labelled with the project) unless it
    /// exists; returns its id.
    @discardableResult
    public func ensureNetwork() async throws(NodeFailure) -> String {
        // One creation at a time: workloads start in parallel, and the engine does not promise
        // that `CheckDuplicate` stops a second network of the same name.
        await gate.enter(Self.networkGateKey)
        defer { gate.leave(Self.networkGateKey) }
        if let known = book.withLock({ $0.networkID }) { return known }
        let id: String
        do {
            if let existing = try await client.listNetworks(labels: [projectLabel]).first(where: { $0.name == networkName }) {
                id = existing.id
            } else {
                do {
                    id = try await client.createNetwork(name: networkName, labels: [ContainerLabels.project: project])
                } catch let error as DockerError where error.status == 409 {
                    // Created meanwhile by another wbuild process.
                    guard let raced = try await client.listNetworks(labels: [projectLabel]).first(where: { $0.name == networkName })
                    else { throw error }
                    id = raced.id
                }
            }
        } catch {
            throw engineFailure("creating the network \(networkName)", error)
        }
        book.withLock { $0.networkID = id }
        return id
    }

    /// The gate key for the network (no workload can have this name).
    static let networkGateKey = "\u{0}network"

    /// Creates the plan's named volumes with the project's labels (the engine would create them
    /// unlabelled at container create, and `down --volumes` finds volumes by label).
    func ensureVolumes(_ plan: WorkloadPlan) async throws(NodeFailure) {
        for volume in plan.volumes {
            guard case .named(let name) = volume.source else { continue }
            do {
                try await client.createVolume(name: name, labels: [ContainerLabels.project: project, ContainerLabels.workload: plan.workload])
            } catch {
                throw engineFailure("creating the volume \(name)", error)
            }
        }
    }

    /// Stops this runtime's background work (event monitor, probes, pending restarts) for
    /// good; the containers keep running. For a wbuild that exits and leaves them up.
    public func shutdown() {
        book.withLock { $0.shuttingDown = true }
        stopBackgroundWork()
    }

    /// Cancels the event monitor, probes and pending restarts; the next `up` starts them again.
    func stopBackgroundWork() {
        let tasks = book.withLock { book -> [Task<Void, Never>] in
            let all = book.tasks.values.flatMap { $0 } + (book.monitor.map { [$0] } ?? [])
            book.tasks = [:]
            book.livenessWatched = []
            book.monitor = nil
            return all
        }
        tasks.forEach { $0.cancel() }
        stopRouterEvents()
    }

    deinit {
        let tasks = book.withLock { $0.tasks.values.flatMap { $0 } + ($0.monitor.map { [$0] } ?? []) }
        tasks.forEach { $0.cancel() }
    }

    func nodeID(_ workload: String) -> NodeID { NodeID(kind: "workload", name: workload) }

    func emit(_ workload: String, _ phase: WorkloadPhase, _ detail: String) {
        events.emit(.workloadState(nodeID(workload), state: phase.rawValue, detail: detail))
    }

    func engineFailure(_ what: String, _ error: any Error) -> NodeFailure {
        if let docker = error as? DockerError {
            return NodeFailure("\(what): \(docker.message)", hint: docker.hint)
        }
        return NodeFailure("\(what): \(error)")
    }

    /// Adds a background task that belongs to container `id` (cancelled when it is retired).
    func attach(_ task: Task<Void, Never>, to id: String) {
        let orphaned = book.withLock { book -> Bool in
            guard !book.retired.contains(id), !book.shuttingDown else { return true }
            book.tasks[id, default: []].append(task)
            return false
        }
        if orphaned { task.cancel() }
    }
}

