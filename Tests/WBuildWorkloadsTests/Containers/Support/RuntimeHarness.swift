import Foundation
import Synchronization
import Testing
import WBuildCore
import WBuildDocker
import WBuildSpec
import WBuildTestSupport
@testable import WBuildWorkloads

/// One test's own project on the real engine: a unique project name, a temporary project
/// root, a runtime whose events are recorded, and cleanup through `down` that always runs.
final class RuntimeHarness: Sendable {
    static let baseImage = "wbuild-samples/busybox:1"

    let project: String
    let root: TemporaryDirectory
    let client = DockerClient(host: .defaultSocket)
    let recorder = EventRecorder()
    let runtime: WorkloadRuntime

    init() throws {
        project = "wbt-" + UUID().uuidString.prefix(8).lowercased()
        root = try TemporaryDirectory(prefix: "wbuild-containers")
        runtime = WorkloadRuntime(project: project, client: client, events: recorder.sink)
    }

    /// Runs `body` with a fresh harness, then removes everything its project left.
    static func with(_ body: (RuntimeHarness) async throws -> Void) async throws {
        let harness = try RuntimeHarness()
        do {
            try await body(harness)
        } catch {
            await harness.cleanUp()
            throw error
        }
        await harness.cleanUp()
    }

    func cleanUp() async {
        runtime.shutdown()
        try? await WorkloadRuntime(project: project, client: client).down(volumes: true)
        root.remove()
    }

    /// A project spec of these workloads, named like this harness.
    func spec(_ workloads: [WorkloadSpec]) -> ProjectSpec {
        ProjectSpec(name: project, workloads: workloads)
    }

    func plan(_ name: String, in workloads: [WorkloadSpec]) throws -> WorkloadPlan {
        let project = spec(workloads)
        let workload = try #require(project.workload(named: name))
        return try WorkloadPlan.make(spec: workload, project: project, imageReferences: [:], projectRoot: root.path)
    }

    /// Plans and brings up `name`.
    @discardableResult
    func up(_ name: String, in workloads: [WorkloadSpec], runtime: WorkloadRuntime? = nil,
            timeout: Duration = .seconds(30)) async throws -> WorkloadState {
        let plan = try plan(name, in: workloads)
        return try await (runtime ?? self.runtime).up(plan, fingerprint: plan.fingerprint(), timeout: timeout)
    }

    /// The `detail` of every workload-state event with this state.
    func details(_ state: String) -> [String] {
        recorder.events.compactMap { event in
                if case .workloadState(_, let eventState, let detail) = event, eventState == state { return detail }
                return nil
        }
    }

    /// Every container labelled with this project (all states).
    func labelledContainers() async throws -> [ContainerSummary] {
        try await client.listContainers(labels: ["\(ContainerLabels.project)=\(project)"])
    }

    /// The replicas' main containers labelled with this project (not sidecars, not front doors).
    func replicaContainers() async throws -> [ContainerSummary] {
        try await labelledContainers().filter { ContainerLabels.isReplica($0.labels) }
    }

    /// Runs `command` in the container and returns its stdout.
    func exec(_ containerID: String, _ command: [String]) async throws -> ExecResult {
        try await client.exec(containerID, command: command)
    }
}

/// A busybox workload running `script` with `sh -c` (under the engine's init).
func shellWorkload(_ name: String, _ script: String, ports: [PortSpec] = [], env: [KeyValuePair] = [],
                   readiness: ProbeSpec? = nil, liveness: ProbeSpec? = nil) -> WorkloadSpec {
    WorkloadSpec(name: name, source: .image(RuntimeHarness.baseImage), command: [script], entrypoint: ["sh", "-c"],
                 env: env, ports: ports, readiness: readiness, liveness: liveness, stopGraceMs: 1000)
}

/// A workload serving `/w` with busybox httpd on 8080, after writing `page` to `/w/index.html`.
func webWorkload(_ name: String, page: String, readiness: ProbeSpec? = ProbeSpec(check: .http(path: "/", port: 8080), intervalMs: 100),
                 liveness: ProbeSpec? = nil, env: [KeyValuePair] = []) -> WorkloadSpec {
    shellWorkload(name, "mkdir -p /w && echo \(page) > /w/index.html && echo alive > /w/alive.html && exec httpd -f -p 8080 -h /w",
                  ports: [PortSpec(name: "http", container: 8080, protocol: .http)], env: env,
                  readiness: readiness, liveness: liveness)
}

/// `GET url`'s status and body from the host (`http://127.0.0.1:PORT/path`).
func httpGet(_ url: String) async -> (status: Int, body: String)? {
    guard let components = URLComponents(string: url), let host = components.host, let port = components.port else { return nil }
    let path = components.path.isEmpty ? "/" : components.path
    guard case .success(let answer) = await LoopbackHTTP.get(host: host, port: port, path: path, timeout: .seconds(3)) else {
        return nil
    }
    return (answer.status, answer.body)
}

/// Keeps every event a runtime emits, for assertions.
final class EventRecorder: Sendable {
    private let recorded = Mutex<[WBuildCore.BuildEvent]>([])

    var sink: EventSink {
        EventSink { event in self.recorded.withLock { $0.append(event) } }
    }

    var events: [WBuildCore.BuildEvent] { recorded.withLock { $0 } }
}
