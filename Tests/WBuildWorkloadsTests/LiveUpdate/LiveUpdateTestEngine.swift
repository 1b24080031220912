import WBuildSystem
import Foundation
import Testing
import WBuildDocker
import WBuildSpec
import WBuildTestSupport
@testable import WBuildWorkloads

/// Containers and images for the live-update tests against the real engine. Every container
/// gets a unique name and the project label `wbuild-liveupdate-tests`, and is removed when the
/// test's body ends (also when it throws).
enum LiveUpdateTestEngine {
    /// busybox-static on scratch: has /bin/sh, cat, ls, httpd.
    static let shellImage = "wbuild-samples/busybox:1"
    static let projectLabel = "wbuild-liveupdate-tests"

    /// A `FROM scratch` image holding only `/busybox` (no shell at /bin/sh, no tar, no libc).
    static func scratchImage(_ client: DockerClient) async throws -> String {
        try await scratchBuild.value(client)
    }

    private static let scratchBuild = OnceBuild()

    /// Creates a container running `command` (under the supervisor when `supervised`), starts it,
    /// waits until it runs (and, unless not `channelAnswers`, its supervisor answers wbuild), runs
    /// `body`, then removes it.
    static func withContainer<T>(_ client: DockerClient, image: String, command: [String], supervised: Bool,
                                 channelAnswers: Bool = true,
                                 configure: (inout ContainerConfig) -> Void = { _ in },
                                 _ body: (String) async throws -> T) async throws -> T {
        let name = "wbuild-lu-\(UUID().uuidString.prefix(8).lowercased())"
        let launch = SupervisorLaunch(wrapping: command)
        let labels = ["dev.wbuild.project": projectLabel, "dev.wbuild.workload": name]
        var config = ContainerConfig(image: image, entrypoint: supervised ? launch.entrypoint : command, labels: labels)
        configure(&config)
        let id = try await client.createContainer(name: name, config: config)
        do {
            if supervised { try await SupervisorInjection.install(into: id, client: client) }
            try await client.startContainer(id)
            try await waitUntilRunning(id, client: client, supervised: supervised && channelAnswers)
            let result = try await body(id)
            try? await client.removeContainer(id, force: true)
            return result
        } catch {
            try? await client.removeContainer(id, force: true)
            throw error
        }
    }

    /// Polls until the container runs and, when supervised, its supervisor reports a process.
    static func waitUntilRunning(_ id: String, client: DockerClient, supervised: Bool) async throws {
        try await poll("container \(id.prefix(12)) running\(supervised ? " with its supervisor answering" : "")") {
            guard let info = try await client.inspectContainer(id), info.state.running else { return false }
            guard supervised else { return true }
            guard let endpoint = try await ControlEndpoint.resolveSupervisor(containerID: id, client: client) else { return false }
            let pid = try? await BlockingWork.run(name: "test-pid") {
                try ControlChannel.withConnection(to: endpoint) { channel throws(LiveUpdateError) in try channel.processID() }
            }
            return (pid ?? 0) > 0
        }
    }

    /// Polls `condition` every 20 ms until it holds; fails after `seconds`.
    static func poll(_ what: String, seconds: Int = 15, _ condition: () async throws -> Bool) async throws {
        guard try await eventually(within: .seconds(seconds), condition) else { throw PollTimeout(what: what) }
    }

    /// A file's contents in the container, or nil when it does not exist.
    static func read(_ path: String, in id: String, client: DockerClient, busybox: String = "cat") async throws -> String? {
        let command = busybox == "cat" ? ["cat", path] : [busybox, "cat", path]
        let result = try await client.exec(id, command: command)
        return result.exitCode == 0 ? result.stdoutText : nil
    }

    /// Whether `path` exists in the container (file or directory).
    static func exists(_ path: String, in id: String, client: DockerClient, busybox: String? = nil) async throws -> Bool {
        let command = (busybox.map { [$0] } ?? []) + ["test", "-e", path]
        return try await client.exec(id, command: command).exitCode == 0
    }
}

struct PollTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Builds the scratch test image once per test process.
actor OnceBuild {
    private var task: Task<String, any Error>?

    func value(_ client: DockerClient) async throws -> String {
        if let task { return try await task.value }
        let task = Task { () async throws -> String in
            let dockerfile = """
            FROM \(LiveUpdateTestEngine.shellImage) AS tools
            FROM scratch
            COPY --from=tools /bin/busybox /busybox
            """
            let tag = "wbuild-test/liveupdate-scratch:1"
            let context = try TarWriter.archive([.file("Dockerfile", contents: Array(dockerfile.utf8))])
            try await client.build(contextTar: context, options: BuildOptions(tags: [tag]))
            return tag
        }
        self.task = task
        return try await task.value
    }
}

/// A project directory with live-update rules syncing `app/` to `/srv/app`.
struct LiveUpdateProject {
    let directory: TemporaryDirectory
    let target: LiveUpdateTarget

    init() throws {
        directory = try TemporaryDirectory(prefix: "wbuild-liveupdate")
        target = LiveUpdateTarget(projectRoot: directory.path, buildContext: "app", dockerfile: "app/Dockerfile")
    }

    func rules(run: [RunStep] = [], restart: WBuildSpec.RestartPolicy = .none) -> LiveUpdateSpec {
        LiveUpdateSpec(sync: [SyncRule(from: "app", to: "/srv/app")], run: run, restart: restart)
    }

    /// The plan for `changes` under `rules`; fails the test when the planner says rebuild.
    func plan(_ changes: [ChangedFile], rules: LiveUpdateSpec) throws -> LiveUpdatePlan {
        let decision = try LiveUpdatePlanner.plan(rules: rules, target: target, changedFiles: changes, containerRunning: true)
        guard case .apply(let plan) = decision else {
            throw PollTimeout(what: "a plan, got \(decision)")
        }
        return plan
    }

    /// The operations `changes` make now, read from the host as an applied batch reads them.
    func changes(_ changes: [ChangedFile], rules: LiveUpdateSpec) throws -> [SyncChange] {
        try HostSyncReader.changes(for: try plan(changes, rules: rules).paths)
    }

    func remove(_ relativePath: String) throws {
        try FileManager.default.removeItem(atPath: directory.url(relativePath))
    }
}
