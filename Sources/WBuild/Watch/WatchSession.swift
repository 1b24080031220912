import Foundation
import WBuildCore
import WBuildSystem
import WBuildFiles
import WBuildSpec
import WBuildWatcher
import WBuildWorkloads

/// The `wbuild watch` loop: a first pass, then for each settled batch of file changes, the
/// sources they touch are re-scanned for those paths only and exactly the dirty subgraph runs
/// again. A change that arrives while a node it affects is running cancels that node (its
/// process gets SIGTERM, then SIGKILL) and the next pass runs it with the newer inputs, so no
/// change is lost. Edits to `wbuild.json` reload the graph; an invalid edit is reported and the
/// last good graph keeps running.
actor WatchSession {
    private var engine: Engine
    private let projectFile: String
    private let options: WatchLoopOptions
    private let events: EventSink
    private let supervisor: ServeSupervisor
    private var scope: Set<NodeID>
    /// Nodes waiting for a pass.
    private var dirty = Set<NodeID>()
    /// Passes in flight, each with the nodes it covers. Passes run concurrently only when
    /// their scopes are disjoint, so an unrelated slow task never delays a change elsewhere.
    private var passes: [Int: (scope: Set<NodeID>, task: Task<Void, Never>)] = [:]
    private var nextPassNumber = 0
    /// While set, no pass starts: a reload or the shutdown is draining the running ones.
    private var paused = false
    /// The project file changed again while a reload was draining.
    private var reloadAgain = false
    private var summary = WatchSummary(passes: 0, nodesRun: 0, stillFailing: [])
    /// Workloads with live-update rules take their changes here instead of a rebuild.
    private var liveUpdates: LiveUpdateCoordinator?
    static let readyTimeout: Duration = .seconds(120)
    private var failing = Set<NodeID>()

    init(engine: Engine, projectFile: String, options: WatchLoopOptions, events: EventSink,
         supervisor: ServeSupervisor) throws(WBuildError) {
        self.engine = engine
        self.projectFile = projectFile
        self.options = options
        self.events = events
        self.supervisor = supervisor
        self.scope = try Self.scope(of: engine, targets: options.targets)
    }

    static func scope(of engine: Engine, targets: [String]) throws(WBuildError) -> Set<NodeID> {
        let resolved = try engine.resolve(targets)
        return resolved.map { engine.project.graph.closure(of: $0) } ?? Set(engine.project.graph.order)
    }

    /// Watches until `stop` yields or finishes, then stops everything it started.
    func run(stop: AsyncStream<Void>) async throws(WBuildError) -> WatchSummary {
        let root = engine.project.layout.root
        let watcher: FileWatcher
        do {
            watcher = try await FileWatcher.start(Self.watchOptions(for: engine.project))
        } catch {
            throw WBuildError(.failed, "cannot watch \(root): \(error)", hint: error.hint)
        }
        for source in engine.project.sources.values { source.trustsWatcher = true }
        await prepareLiveUpdates()
        // Container output belongs in the watch terminal; the stream follows replacements.
        // Nodes that failed while the engine was away run again once it is back.
        engine.runtime?.onEngineBack { [weak self] in await self?.engineCameBack() }
        let logForwarding = engine.runtime?.forwardLogs()
        defer { logForwarding?.cancel() }
        dirty = scope
        startPasses()
        events.emit(.watching(root: root))

        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await batch in watcher.batches { await self.handle(batch) }
            }
            group.addTask {
                for await warning in watcher.warnings { self.events.emit(.warning(warning.message)) }
            }
            group.addTask {
                for await _ in stop { break }
            }
            // The first child to finish is the stop signal (or the watcher dying): wind down.
            await group.next()
            watcher.stop()
            group.cancelAll()
        }
        await shutdown()
        return summary
    }

    private static func watchOptions(for project: ProjectGraph) -> WBuildWatcher.WatchOptions {
        let ignore = (try? IgnoreRules(patterns: project.spec.watch.ignore)) ?? .none
        return WBuildWatcher.WatchOptions(
            root: project.layout.root,
            isIgnored: { path, isDirectory in
                DefaultIgnores.isInUnwatchedDirectory(relativePath: path, isDirectory: isDirectory)
                    || (isDirectory ? ignore.canPruneDirectory(path) : ignore.isIgnored(path, isDirectory: false))
            },
            settle: .milliseconds(project.spec.watch.settleMs),
            maxDelay: .milliseconds(project.spec.watch.maxDelayMs))
    }

    private var projectFileRelative: String {
        String(projectFile.dropFirst(engine.project.layout.root.count + 1))
    }

    func handle(_ fullBatch: ChangeBatch) async {
        let (temporaries, batch) = fullBatch.splittingEditorTemporaries()
        let paths = batch.paths.sorted()
        // The project file, a build context's .dockerignore (it decides what the context is), or
        // a secret file (no source covers it; a reload re-reads it and replaces what uses it).
        let reshapes = paths.contains(projectFileRelative) || paths.contains { path in
            path.hasSuffix(".dockerignore") && engine.project.sources.values.contains { $0.isDockerignore(path) }
        } || paths.contains(where: Set(engine.project.spec.secretFiles).contains)
        if reshapes {
            if paused {
                reloadAgain = true
            } else {
                await reload()
            }
        }
        let project = engine.project
        for source in project.sources.values where !temporaries.isEmpty {
            let hits = temporaries.filter { source.covers($0) }
            if !hits.isEmpty { source.noteChanges(hits) }
        }
        // Files an overflow lost are found again first; secret files and editor temporaries never sync.
        let recovered = await Self.recovered(batch, in: project).withoutSecretFiles(of: project).splittingEditorTemporaries().rest
        let liveUpdated = await liveUpdates?.intercept(recovered, root: project.layout.root) ?? []
        var touched = Set<NodeID>()
        for (id, source) in project.sources {
            var hits = paths.filter { source.covers($0) }
            for subtree in batch.rescanNeeded where subtree.isEmpty || source.covers(subtree) { hits.append(subtree) }
            if !hits.isEmpty {
                source.noteChanges(hits)
                // A live-updated workload's image stays as it is until a change needs a rebuild;
                // its source keeps the noted paths for that rebuild (and for `once`).
                if !liveUpdated.contains(id.name) { touched.insert(id) }
            }
        }
        for path in paths {
            touched.formUnion(project.images(usingDockerfile: path).filter { !liveUpdated.contains($0.name) })
        }
        let affected = project.graph.downstream(of: touched).intersection(scope)
        guard !affected.isEmpty else { return }
        // Files a task just wrote into its declared outputs are wbuild's own doing: their
        // consumers are re-checked, but the change is not announced as the user's.
        let announced = paths.filter { !project.isDeclaredOutput($0) }
        if !announced.isEmpty || !batch.rescanNeeded.isEmpty {
            events.emit(.change(paths: announced.isEmpty ? Array(batch.rescanNeeded) : announced,
                                nodes: affected.filter { $0.kind != "source" }.sorted()))
        }
        dirty.formUnion(affected)
        engine.scheduler.cancel(affected.intersection(engine.scheduler.runningNodes))
        startPasses()
    }

    /// A batch after a watcher overflow names no files for what was lost: find them by scanning
    /// the sources (against their last evaluation), so the live-update decision sees the real
    /// changes — a batch whose files sync rules cover still syncs instead of rebuilding.
    /// Without an overflow, the batch as it is.
    static func recovered(_ batch: ChangeBatch, in project: ProjectGraph) async -> ChangeBatch {
        guard !batch.rescanNeeded.isEmpty else { return batch }
        var paths = batch.paths
        for source in project.sources.values {
            let subtrees = batch.rescanNeeded.filter { $0.isEmpty || source.covers($0) }
            guard !subtrees.isEmpty else { continue }
            // A source that cannot say leaves the batch to the rebuild path, as before.
            guard let changed = await source.changesSinceLastEvaluation() else { return batch }
            paths.formUnion(changed)
        }
        return ChangeBatch(paths: paths, rescanNeeded: [], firstEventAt: batch.firstEventAt, settledAt: batch.settledAt)
    }

    /// Planners and ledgers for the workloads with live-update rules (before the first batch).
    func prepareLiveUpdates() async {
        liveUpdates = await makeLiveUpdates(for: engine)
    }

    private func makeLiveUpdates(for engine: Engine) async -> LiveUpdateCoordinator? {
        await LiveUpdateCoordinator.make(engine: engine) { [weak self] workload in
            await self?.rebuildInstead(workload)
        }
    }

    /// The engine answers again and the runtime has reconciled the workloads: what failed
    /// meanwhile (a build, an `up`) runs again.
    func engineCameBack() {
        let again = failing.intersection(scope)
        guard !again.isEmpty else { return }
        dirty.formUnion(again)
        startPasses()
    }

    /// A live update that could not be applied: rebuild and replace the workload instead.
    private func rebuildInstead(_ workload: String) {
        let source = NodeID(kind: "source", name: workload)
        let graph = engine.project.graph
        let start = graph.node(source) != nil ? source : NodeID(kind: "image", name: workload)
        engine.project.sources[source]?.noteChanges([""])
        dirty.formUnion(graph.downstream(of: [start]).intersection(scope))
        startPasses()
    }

    /// Starts a pass for the dirty nodes whose scope no running pass touches; the rest wait
    /// until the passes they overlap finish.
    private func startPasses() {
        guard !paused, !dirty.isEmpty else { return }
        let graph = engine.project.graph
        let busy = passes.values.reduce(into: Set<NodeID>()) { $0.formUnion($1.scope) }
        let ready = busy.isEmpty ? dirty : dirty.filter { graph.closure(of: [$0]).isDisjoint(with: busy) }
        guard !ready.isEmpty else { return }
        dirty.subtract(ready)
        let number = nextPassNumber
        nextPassNumber += 1
        let engine = self.engine
        let parallelism = options.parallelism
        let task = Task {
            let result = await engine.scheduler.runPass(PassOptions(targets: ready, parallelism: parallelism))
            await BlockingWork.run(name: "wbuild.state") { engine.saveState(includingCaches: false) }
            self.passFinished(number, result)
        }
        passes[number] = (graph.closure(of: ready), task)
    }

    private func passFinished(_ number: Int, _ result: PassSummary) {
        passes.removeValue(forKey: number)
        summary.passes += 1
        for node in result.results where node.status == .built && node.id.kind == "image" {
            let name = node.id.name
            if let liveUpdates { Task { await liveUpdates.imageRebuilt(name) } }
        }
        for node in result.results {
            switch node.status {
            case .built: summary.nodesRun += 1; failing.remove(node.id)
            case .cached: failing.remove(node.id)
            case .failed, .blocked: failing.insert(node.id)
            case .cancelled: if !paused { dirty.insert(node.id) }
            }
        }
        startPasses()
        if passes.isEmpty && dirty.isEmpty { persistWhenIdle() }
    }

    /// Stat caches and file lists are written after a second with no pass, off the change path.
    private var idleGeneration = 0
    private func persistWhenIdle() {
        idleGeneration += 1
        let generation = idleGeneration
        let engine = self.engine
        Task {
            try? await Task.sleep(for: .seconds(1))
            guard self.passes.isEmpty, self.idleGeneration == generation else { return }
            await BlockingWork.run(name: "wbuild.caches") { engine.persistCaches() }
        }
    }

    /// Cancels every running node and waits until no pass is in flight.
    private func drainPasses() async {
        engine.scheduler.cancel(engine.scheduler.runningNodes)
        while let pass = passes.values.first {
            await pass.task.value
        }
    }

    /// Re-reads the project file; keeps the running graph when the new one is invalid.
    private func reload() async {
        let next: Engine
        do {
            next = try Engine.load(projectFile: projectFile, events: events, serveSupervisor: supervisor,
                                   workloads: .run(readyTimeout: Self.readyTimeout), runtime: engine.runtime, state: engine.state)
        } catch {
            events.emit(.warning("\(projectFileRelative) has errors; keeping the last good graph until it is fixed:\n\(error.message)"))
            return
        }
        let nextScope: Set<NodeID>
        do {
            nextScope = try Self.scope(of: next, targets: options.targets)
        } catch {
            events.emit(.warning("after editing \(projectFileRelative): \(error.message); keeping the last good graph"))
            return
        }
        paused = true
        await drainPasses()
        await liveUpdates?.drain()
        for source in next.project.sources.values { source.trustsWatcher = true }
        liveUpdates = await makeLiveUpdates(for: next)
        let serveNames = Set(next.project.graph.order.filter { $0.kind == "serve" }.map(\.name))
        await supervisor.stopAll(except: serveNames)
        if engine.project.routerRule?.createdContainer == true { next.project.routerRule?.noteStartedHere() }
        if let runtime = next.runtime, engine.project.spec.hasRoutes, !next.project.spec.hasRoutes {
            // The routes are gone: so is the router.
            await runtime.removeRouter()
        }
        engine = next
        scope = nextScope
        failing = []
        dirty = nextScope
        paused = false
        events.emit(.reloaded(file: projectFileRelative))
        startPasses()
        if reloadAgain {
            reloadAgain = false
            await reload()
        }
    }

    private func shutdown() async {
        paused = true
        await drainPasses()
        await liveUpdates?.drain()
        await supervisor.shutdown()
        await removeContainersStartedHere()
        let engine = self.engine
        await BlockingWork.run(name: "wbuild.state") { engine.saveState() }
        summary.stillFailing = failing.sorted()
    }
}

extension WatchSession {
    /// `watch` stops what it started: containers it created are removed; containers it adopted
    /// (already running with the same configuration, e.g. from `wbuild up`) are left running.
    func removeContainersStartedHere() async {
        guard let runtime = engine.runtime else { return }
        if engine.project.routerRule?.createdContainer == true { await runtime.removeRouter() }
        let rules = engine.project.workloadRules
        let created = Set(rules.filter { $0.value.createdContainers }.map(\.key))
        if !created.isEmpty {
            do {
                _ = try await runtime.removeOrphans(keeping: Set(rules.keys).subtracting(created),
                                                    reason: "the watch that started it stopped")
            } catch {
                events.emit(.warning("could not remove the containers this watch started: \(error); `wbuild down` removes them"))
            }
        }
        runtime.shutdown()
    }
}

extension Engine {
    /// `wbuild watch`: brings the project up to date, then keeps it so as files change, until
    /// `stop` yields (the CLI connects it to SIGINT and SIGTERM). Everything it started is
    /// stopped before it returns.
    public static func watch(projectFile: String = ProjectLoader.defaultFileName, options: WatchLoopOptions = WatchLoopOptions(),
                             events: EventSink, stop: AsyncStream<Void>) async throws(WBuildError) -> WatchSummary {
        let supervisor = ServeSupervisor(events: events)
        let path = absolutePath(projectFile)
        let engine = try load(projectFile: path, events: events, serveSupervisor: supervisor,
                              workloads: .run(readyTimeout: WatchSession.readyTimeout))
        try await engine.checkEngine(for: try engine.resolve(options.targets))
        let session = try WatchSession(engine: engine, projectFile: path, options: options, events: events, supervisor: supervisor)
        return try await session.run(stop: stop)
    }
}
