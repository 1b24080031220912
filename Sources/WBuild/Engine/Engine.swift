import Foundation
import WBuildCore
import WBuildDocker
import WBuildSpec
import WBuildSystem
import WBuildWorkloads

/// The library facade: load a project, bring it up to date, read typed results.
///
/// ```swift
/// let engine = try Engine.load(projectFile: "wbuild.json")
/// let result = try await engine.once(OnceOptions(targets: ["assets"]))
/// if !result.ok { … }
/// let image = result.node("image:api")?.output?.fields["image"]
/// ```
///
/// Events (node starts, log lines, warnings) go to the `EventSink` given at load time.
public final class Engine: Sendable {
    public let project: ProjectGraph
    public let state: StateStore
    public let events: EventSink
    /// Runs the workloads' containers, when loaded with `.run`.
    public let runtime: WorkloadRuntime?
    let scheduler: Scheduler

    init(project: ProjectGraph, state: StateStore, events: EventSink, runtime: WorkloadRuntime?) {
        self.project = project
        self.state = state
        self.events = events
        self.runtime = runtime
        self.scheduler = Scheduler(graph: project.graph, state: state, events: events)
    }

    /// Whether the graph runs containers (`up`, `watch`) or only builds (`once`).
    public enum WorkloadMode: Sendable {
        case buildOnly
        /// Workload nodes start containers and wait at most `readyTimeout` for each to be ready.
        case run(readyTimeout: Duration)
    }

    /// Reads and validates `projectFile` (default `./wbuild.json`) and builds its graph.
    /// - Throws: `WBuildError` of kind `.projectFile` (exit 2) with every diagnostic.
    /// With `publishRegistry`, `publish:NAME` nodes push there instead of wbuild.json's
    /// `publish.registry` (and exist even when wbuild.json has no `publish`).
    public static func load(projectFile: String = ProjectLoader.defaultFileName, events: EventSink = .none,
                            workloads: WorkloadMode = .buildOnly, publishRegistry: String? = nil,
                            render: RenderOptions? = nil) throws(WBuildError) -> Engine {
        try load(projectFile: projectFile, events: events, serveSupervisor: nil, workloads: workloads,
                 publishRegistry: publishRegistry, render: render)
    }

    /// `load` for `watch`: with a supervisor, `serve` tasks join the graph; on a reload the
    /// running session's state store is kept rather than re-read.
    static func load(projectFile: String, events: EventSink, serveSupervisor: ServeSupervisor?,
                     workloads: WorkloadMode = .buildOnly, runtime existingRuntime: WorkloadRuntime? = nil,
                     state existing: StateStore? = nil, publishRegistry: String? = nil,
                     publishNodesWithWorkloads: Bool = false, render: RenderOptions? = nil) throws(WBuildError) -> Engine {
        let path = Self.absolutePath(projectFile)
        let spec: ProjectSpec
        do {
            spec = try ProjectLoader.load(path: path)
        } catch {
            throw WBuildError(.projectFile, error.description)
        }
        let layout = ProjectLayout(root: (path as NSString).deletingLastPathComponent)
        var docker: DockerClient?
        var services: WorkloadServices?
        if case .run(let readyTimeout) = workloads, !spec.workloads.isEmpty {
            let client: DockerClient
            do {
                client = try DockerClient()
            } catch {
                throw WBuildError(.engineUnavailable, error.message, hint: error.hint)
            }
            docker = client
            let runtime = existingRuntime ?? WorkloadRuntime(project: spec.name, client: client, events: events)
            runtime.onRestart(WorkloadHooks.afterRestart(client: client, layout: layout, spec: spec, events: events))
            services = WorkloadServices(runtime: runtime, readyTimeout: readyTimeout, includesServe: serveSupervisor != nil,
                                        beforeStart: WorkloadHooks.beforeStart(client: client),
                                        afterUp: WorkloadHooks.afterUp(client: client, layout: layout, spec: spec))
        }
        let publishing = try Self.publishServices(spec: spec, workloads: publishNodesWithWorkloads ? .buildOnly : workloads,
                                                  registry: publishRegistry)
        let rendering = try Self.renderServices(spec: spec, layout: layout,
                                                workloads: publishNodesWithWorkloads ? .buildOnly : workloads, options: render)
        let project: ProjectGraph
        do {
            project = try ProjectGraph.build(spec: spec, layout: layout, docker: docker, serveSupervisor: serveSupervisor,
                                             workloads: services, publishing: publishing, rendering: rendering)
        } catch {
            throw WBuildError(.projectFile, error.diagnostic?.description ?? "\(path): \(error.description)")
        }
        if let existing { return Engine(project: project, state: existing, events: events, runtime: services?.runtime) }
        do {
            try PrivateTree.restrict(layout.stateDirectory)  // state written by older versions was world-readable
        } catch {
            events.emit(.warning("could not make \(layout.stateDirectory) private to you: \(error)"))
        }
        let (state, warning) = StateStore.load(path: layout.stateFile)
        if let warning { events.emit(.warning(warning)) }
        return Engine(project: project, state: state, events: events, runtime: services?.runtime)
    }

    /// One pass: everything stale in scope runs, everything up to date is cached; state is saved.
    /// Without targets the scope is everything but `publish:` and `manifest:` nodes: pushing to a
    /// registry or writing cluster files is asked for by name (`publish:api`,
    /// `manifest:kubernetes`) or by `publish` / `render`, never a side effect of a build.
    public func once(_ options: OnceOptions = OnceOptions()) async throws(WBuildError) -> RunResult {
        let targets = try resolve(options.targets) ?? defaultScope
        try await checkEngine(for: targets)
        let summary = await scheduler.runPass(PassOptions(targets: targets, force: options.force,
                                                          parallelism: options.parallelism))
        saveState()
        let result = RunResult(summary: summary)
        writePublishedImages(result)
        return result
    }

    /// Every node but `publish:` and `manifest:` ones, or nil (everything) when there are none.
    var defaultScope: Set<NodeID>? {
        let order = project.graph.order
        let askedForByName: Set<String> = [PublishRule.kind, ManifestRule.kind]
        guard order.contains(where: { askedForByName.contains($0.kind) }) else { return nil }
        return Set(order.filter { !askedForByName.contains($0.kind) })
    }

    /// `once` plus the workloads' containers: starts or replaces what changed, leaves alone what
    /// runs with the same configuration, removes containers of workloads the spec no longer
    /// names, and returns once every workload is ready (or one failed).
    public func up(_ options: OnceOptions = OnceOptions()) async throws(WBuildError) -> RunResult {
        let result = try await once(options)
        if let runtime, options.targets.isEmpty {
            do {
                _ = try await runtime.removeOrphans(keeping: Set(project.spec.workloads.map(\.name)))
            } catch {
                events.emit(.warning("could not remove containers of workloads no longer in the project: \(error)"))
            }
            // A router from when the project had routes.
            if !project.spec.hasRoutes { await runtime.removeRouter() }
        }
        return result
    }

    /// When the pass needs the container engine, makes sure it answers first, so a missing
    /// engine is one clear error (exit 3) rather than a failure per image.
    func checkEngine(for targets: Set<NodeID>?) async throws(WBuildError) {
        let scope = targets.map { project.graph.closure(of: $0) } ?? Set(project.graph.order)
        guard let docker = project.docker, scope.contains(where: { $0.kind == "image" || $0.kind == "workload" }) else { return }
        do {
            _ = try await docker.ping()
        } catch let error as DockerError where error.kind == .engineUnreachable {
            throw WBuildError(.engineUnavailable, error.message, hint: error.hint)
        } catch {
            throw WBuildError(.engineUnavailable, "the container engine at \(docker.host) did not answer: \(error)",
                              hint: "run `wbuild doctor` to check the engine")
        }
    }

    /// Node ids for command-line targets (see `TargetResolver`): a bare name is the workload
    /// (with all it needs) or the task; `image:kv`, `task:x` name nodes. Nil for no targets.
    public func resolve(_ targets: [String]) throws(WBuildError) -> Set<NodeID>? {
        guard !targets.isEmpty else { return nil }
        return try TargetResolver(graph: project.graph, spec: project.spec, projectFile: project.layout.root + "/wbuild.json")
            .resolve(targets)
    }

    /// Persists node records and, unless `includingCaches` is false (the watch loop between
    /// changes), the sources' stat caches and file lists. A failure is reported as a warning:
    /// the next run re-checks more, it never trusts less.
    public func saveState(includingCaches: Bool = true) {
        if includingCaches { persistCaches() }
        do {
            try state.save()
        } catch {
            events.emit(.warning("could not save \(state.path): \(error); the next run will re-check what this one did"))
        }
    }

    /// Writes the sources' stat caches and file lists that changed.
    public func persistCaches() {
        for source in project.sources.values { source.persist() }
    }

    static func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return ProjectLayout(root: FileManager.default.currentDirectoryPath).absolute(path)
    }
}

/// What `once` covers and how.
public struct OnceOptions: Sendable {
    /// Node ids or names; empty means everything.
    public var targets: [String]
    /// Run nodes even when up to date.
    public var force: Bool
    /// How many nodes may run at once (default: the number of cores).
    public var parallelism: Int

    public init(targets: [String] = [], force: Bool = false,
                parallelism: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.targets = targets
        self.force = force
        self.parallelism = parallelism
    }
}
