import WBuildSystem
import WBuildDocker
import WBuildSpec

/// A check that a restarted container serves again (the workload's readiness probe), polled by
/// the caller until it passes or its own deadline; throwing means not ready.
public typealias ReadinessCheck = @Sendable (_ containerID: String) async throws -> Void

/// Applies a `LiveUpdatePlan` to every replica of a workload in parallel: deletes and copies
/// (over the supervisor channel, or the engine's archive API), `run` steps, the restart, then
/// the readiness check; and reports the timeline. Given the workload's `SyncLedger`, it records
/// the plan there first.
public struct LiveUpdateExecutor: Sendable {
    public let client: DockerClient
    /// The preferred transport for supervised containers (unsupervised ones always use the engine).
    public let transport: SyncTransport
    /// Batches of more operations (files, directories, links, removes) than this go through the engine even when `transport` is
    /// `.supervisor`: the supervisor writes each file atomically (a new file renamed over), which
    /// on overlayfs costs more per file than the engine's extraction (see SyncTransport). nil: never.
    public let largeBatchFiles: Int?

    public init(client: DockerClient, transport: SyncTransport = .supervisor, largeBatchFiles: Int? = 200) {
        self.client = client
        self.transport = transport
        self.largeBatchFiles = largeBatchFiles
    }

    /// Applies `plan` to every replica at once and waits for all of them.
    ///
    /// The plan's paths are read from the host first, once for all replicas (`HostSyncReader`):
    /// what is there now decides each operation, so a delete happens only for a path that is
    /// gone at this moment, whatever the watcher's event said.
    ///
    /// - Parameters:
    ///   - changeSeen: when the first change of the batch was seen (the timeline's zero).
    ///   - batchSettled: when the settle window closed.
    ///   - readiness: run per replica at the end (after the restart, if any).
    ///   - ledger: the workload's sync ledger, which records the operations before they are sent
    ///     (a failure part-way leaves it listing paths that may not have arrived: replaying those
    ///     reads the host again, which is harmless).
    /// - Throws: the first replica's failure after all replicas finished (`.stepFailed` with the
    ///   step's output and exit code, `.noShell`, `.syncFailed`, `.supervisorFailed`,
    ///   `.restartFailed`, `.notReady`).
    public func apply(_ plan: LiveUpdatePlan, to replicas: [LiveUpdateReplica],
                      changeSeen: ContinuousClock.Instant = .now, batchSettled: ContinuousClock.Instant? = nil,
                      readiness: ReadinessCheck? = nil,
                      recordingIn ledger: SyncLedger? = nil) async throws(LiveUpdateError) -> LiveUpdateTimeline {
        let changes = try await Self.readHost(plan.paths)
        if let ledger { try await ledger.record(changes) }
        let operations = changes.map(\.operation)
        let results = await withTaskGroup(of: Result<ReplicaRun, LiveUpdateError>.self) { group in
            for replica in replicas {
                group.addTask {
                    do throws(LiveUpdateError) {
                        return .success(try await update(replica, with: plan, operations: operations, readiness: readiness))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var results: [Result<ReplicaRun, LiveUpdateError>] = []
            for await result in group { results.append(result) }
            return results
        }
        var runs: [ReplicaRun] = []
        for result in results {
            switch result {
            case .success(let run): runs.append(run)
            case .failure(let error): throw error
            }
        }
        runs.sort { lhs, rhs in
            (replicas.firstIndex { $0.containerID == lhs.outcome.containerID } ?? 0)
                < (replicas.firstIndex { $0.containerID == rhs.outcome.containerID } ?? 0)
        }
        func latest(_ instant: KeyPath<ReplicaRun, ContinuousClock.Instant?>) -> Int? {
            runs.compactMap { $0[keyPath: instant] }.max().map { (($0 - changeSeen)).wholeMilliseconds }
        }
        return LiveUpdateTimeline(
            batchSettledMs: batchSettled.map { ($0 - changeSeen).wholeMilliseconds },
            filesSentMs: latest(\.filesSent), stepsRunMs: latest(\.stepsRun), processBackMs: latest(\.processBack),
            readyMs: latest(\.ready), files: plan.paths.count,
            replicas: runs.map(\.outcome))
    }

    /// The operations for `paths`, read from the host now, off the cooperative pool.
    static func readHost(_ paths: [SyncPath]) async throws(LiveUpdateError) -> [SyncChange] {
        guard !paths.isEmpty else { return [] }
        do {
            return try await BlockingWork.run(name: "wbuild-live-update-read") { () throws -> [SyncChange] in
                try HostSyncReader.changes(for: paths)
            }
        } catch let error as LiveUpdateError {
            throw error
        } catch {
            throw LiveUpdateError(.syncFailed, "cannot read the changed files", cause: error)
        }
    }

    /// One replica, in order: files, steps, restart, readiness.
    private func update(_ replica: LiveUpdateReplica, with plan: LiveUpdatePlan, operations: [SyncOperation],
                        readiness: ReadinessCheck?) async throws(LiveUpdateError) -> ReplicaRun {
        var run = ReplicaRun(outcome: ReplicaOutcome(containerID: replica.containerID, transport: nil, processID: nil, bytesSent: 0))
        var endpoint: ControlEndpoint?
        if replica.supervised {
            endpoint = try await supervisorEndpoint(of: replica)
        }
        if !operations.isEmpty {
            try await sync(operations, into: replica, endpoint: &endpoint, run: &run)
            run.filesSent = .now
        }
        if !plan.steps.isEmpty {
            try await RunStepRunner(client: client).run(plan.steps, in: replica.containerID)
            run.stepsRun = .now
        }
        switch plan.restart {
        case .none:
            break
        case .process:
            guard replica.supervised else {
                throw LiveUpdateError(.supervisorFailed, "restart: \"process\" needs the container to run under the supervisor",
                                      container: replica.containerID,
                                      hint: "create the container with a SupervisorLaunch (entrypoint and labels) and call SupervisorInjection.install before start")
            }
            run.outcome.processID = try await ProcessRestarter(client: client)
                .restart(containerID: replica.containerID, endpoint: endpoint)
            run.processBack = .now
        case .container:
            do {
                try await client.restartContainer(replica.containerID, timeout: 10)
            } catch {
                throw LiveUpdateError(.restartFailed, "the engine could not restart the container", container: replica.containerID,
                                      cause: error)
            }
            run.processBack = .now
        }
        if let readiness {
            do {
                try await readiness(replica.containerID)
            } catch {
                throw LiveUpdateError(.notReady, "the workload did not become ready after the live update",
                                      container: replica.containerID, cause: error)
            }
            run.ready = .now
        }
        return run
    }

    /// The replica's operations through the supervisor when preferred and reachable, else the engine.
    private func sync(_ operations: [SyncOperation], into replica: LiveUpdateReplica, endpoint: inout ControlEndpoint?,
                      run: inout ReplicaRun) async throws(LiveUpdateError) {
        if transport == .supervisor, let reachable = endpoint, operations.count <= largeBatchFiles ?? Int.max {
            do {
                run.outcome.bytesSent = try await BlockingWork.run(name: "wbuild-live-update-sync") {
                    try ControlChannel.withConnection(to: reachable) { channel throws(LiveUpdateError) in
                        try channel.apply(operations)
                    }
                }
                run.outcome.transport = .supervisor
                return
            } catch let error as LiveUpdateError where error.code == .supervisorUnreachable {
                endpoint = nil // unreachable: the engine carries this batch and the restart
            } catch let error as LiveUpdateError {
                throw LiveUpdateError(error.code, error.message, container: replica.containerID, exitCode: error.exitCode,
                                      output: error.output, cause: error.cause.map(DescribedError.init), hint: error.hint)
            } catch {
                throw LiveUpdateError(.syncFailed, "sync failed", container: replica.containerID, cause: error)
            }
        }
        run.outcome.bytesSent = try await EngineArchiveSync(client: client).apply(operations, containerID: replica.containerID)
        run.outcome.transport = .engineArchive
    }

    private func supervisorEndpoint(of replica: LiveUpdateReplica) async throws(LiveUpdateError) -> ControlEndpoint? {
        if let endpoint = replica.endpoint { return endpoint }
        do {
            return try await ControlEndpoint.resolveSupervisor(containerID: replica.containerID, client: client)
        } catch {
            throw LiveUpdateError(.syncFailed, "cannot inspect the container", container: replica.containerID, cause: error,
                                  hint: "is the Docker engine running and the container still there?")
        }
    }
}
