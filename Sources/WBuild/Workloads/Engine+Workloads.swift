import WBuildCore
import WBuildDocker
import WBuildSpec
import WBuildWorkloads

/// A workload's status as `wbuild status` shows it: the containers' state from the engine plus
/// what wbuild last did with its image.
public struct WorkloadStatus: Sendable {
    public let workload: String
    /// `ready`, `starting`, `unhealthy`, `crash-looping`, `stopped`, or `not running`.
    public let state: String
    public let replicas: [ReplicaState]
    public let urls: [String]
    public let image: String?
    /// Why the image node last ran or did not (`never built`, `up to date`, `inputs changed: …`):
    /// the reason, apart from the state.
    public let lastBuild: String?
    /// What happened to the image node the last time it was looked at (built, cached, failed,
    /// blocked), and when; nil when it never was.
    public let buildState: NodeStatus?
    /// When `buildState` happened, in seconds since 1970.
    public let buildStateAt: Double?
    /// When the image shown was last built (or found in the engine), in seconds since 1970.
    public let builtAt: Double?

    public var json: JSONText {
        var pairs: [(String, JSONText)] = [("type", .string("status")), ("workload", .string(workload)), ("state", .string(state)),
                                           ("urls", .array(urls.map(JSONText.string)))]
        if let image { pairs.append(("image", .string(image))) }
        if let lastBuild { pairs.append(("lastBuild", .string(lastBuild))) }
        if let buildState {
            var build: [(String, JSONText)] = [("state", .string(buildState.rawValue))]
            if let buildStateAt { build.append(("at", .double(buildStateAt))) }
            if let lastBuild { build.append(("reason", .string(lastBuild))) }
            if let builtAt { build.append(("builtAt", .double(builtAt))) }
            pairs.append(("build", .object(build)))
        }
        pairs.append(("replicas", .array(replicas.map { replica in
            var fields: [(String, JSONText)] = [("replica", .int(replica.replica)), ("container", .string(replica.containerName)),
                                                ("state", .string(replica.phase.rawValue)), ("engineState", .string(replica.engineState)),
                                                ("restarts", .int(replica.restarts)), ("oomKilled", .bool(replica.oomKilled))]
            if let health = replica.health { fields.append(("health", .string(health))) }
            if let code = replica.lastExitCode { fields.append(("lastExitCode", .int(code))) }
            if let debugger = replica.debugger { fields.append(("debugger", .string(debugger))) }
            return .object(fields)
        })))
        return .object(pairs)
    }
}

extension Engine {
    /// The runtime for a project without building its graph (`down`, `status`, `logs`).
    static func runtime(projectFile: String, events: EventSink) throws(WBuildError) -> (ProjectSpec, WorkloadRuntime, String) {
        let path = absolutePath(projectFile)
        let spec: ProjectSpec
        do {
            spec = try ProjectLoader.load(path: path)
        } catch {
            throw WBuildError(.projectFile, error.description)
        }
        let client: DockerClient
        do {
            client = try DockerClient()
        } catch {
            throw WBuildError(.engineUnavailable, error.message, hint: error.hint)
        }
        return (spec, WorkloadRuntime(project: spec.name, client: client, events: events), path)
    }

    static func requireEngine(_ runtime: WorkloadRuntime) async throws(WBuildError) {
        do {
            _ = try await runtime.status()
        } catch {
            throw WBuildError(.engineUnavailable, error.message, hint: error.hint)
        }
    }

    /// `wbuild down`: removes every container and the network labelled with the project
    /// (named volumes too with `volumes`); nothing to do is fine.
    public static func down(projectFile: String = ProjectLoader.defaultFileName, volumes: Bool = false,
                            events: EventSink = .none) async throws(WBuildError) {
        let (_, runtime, _) = try runtime(projectFile: projectFile, events: events)
        try await requireEngine(runtime)
        do {
            try await runtime.down(volumes: volumes)
        } catch {
            throw WBuildError(.failed, error.message, hint: error.hint)
        }
        runtime.shutdown()
    }

    /// `wbuild status`: every workload of the spec (or those `targets` name) with its containers' state.
    public static func status(projectFile: String = ProjectLoader.defaultFileName,
                              targets: [String] = []) async throws(WBuildError) -> [WorkloadStatus] {
        let (spec, runtime, path) = try runtime(projectFile: projectFile, events: .none)
        defer { runtime.shutdown() }
        let wanted = try WorkloadTargets.names(targets, spec: spec, projectFile: path, command: "status")
        let states: [WorkloadState]
        do {
            states = try await runtime.status()
        } catch {
            throw WBuildError(.engineUnavailable, error.message, hint: error.hint)
        }
        let layout = ProjectLayout(root: String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]))
        let (store, _) = StateStore.load(path: layout.stateFile)
        return spec.workloads.filter { wanted.isEmpty || wanted.contains($0.name) }.map { workload in
            let state = states.first { $0.workload == workload.name }
            let imageID = NodeID(kind: "image", name: workload.name)
            let record = store.record(imageID), lastRun = store.lastRun(imageID)
            return WorkloadStatus(workload: workload.name, state: state?.phase.rawValue ?? "not running",
                                  replicas: state?.replicas ?? [], urls: state?.urls ?? [],
                                  image: record?.output.fields["image"], lastBuild: lastRun?.reason,
                                  buildState: lastRun?.status, buildStateAt: lastRun?.finishedAt, builtAt: record?.finishedAt)
        }
    }

    /// `wbuild logs`: the containers' output, prefixed by workload and replica; with `follow`
    /// it keeps going across container replacements until the stream is cancelled.
    /// `selection` limits the lines (tail, since) and adds timestamps.
    public static func logs(projectFile: String = ProjectLoader.defaultFileName, workload: String?,
                            follow: Bool, selection: LogSelection = LogSelection()) async throws(WBuildError) -> AsyncThrowingStream<WorkloadLogLine, any Error> {
        let (spec, runtime, path) = try runtime(projectFile: projectFile, events: .none)
        let name = try workload.map { target throws(WBuildError) in
            try WorkloadTargets.name(target, spec: spec, projectFile: path, command: "logs")
        }
        try await requireEngine(runtime)
        return MaskedLogs.wrap(runtime.logs(workload: name, follow: follow, selection: selection), spec: spec, projectFile: path)
    }
}

/// Which log lines `Engine.logs` gives (tail, since, timestamps).
public typealias LogSelection = WBuildWorkloads.LogSelection
