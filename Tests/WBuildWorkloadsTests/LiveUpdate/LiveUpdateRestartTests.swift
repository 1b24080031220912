import Foundation
import Testing
import WBuildDocker
import WBuildSpec
import WBuildTestSupport
@testable import WBuildWorkloads

@Suite("Live update restarts")
struct LiveUpdateRestartTests {
    /// The pid of the workload's `/busybox sleep` inside a scratch container, seen through busybox `ps`.
    static func sleepPID(_ id: String, client: DockerClient) async throws -> String {
        let table = try await client.exec(id, command: ["/busybox", "ps", "-o", "pid,args"]).stdoutText
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 1)
            if fields.count == 2, fields[1].hasPrefix("/busybox sleep") { return String(fields[0]) }
        }
        return ""
    }

    @Test("restart: process on a FROM scratch image with no shell restarts the process, not the container")
    func restartsTheProcessInAScratchImage() async throws {
        let client = try DockerClient()
        let image = try await LiveUpdateTestEngine.scratchImage(client)
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        try project.directory.write("app/config.txt", "v2")
        let plan = try project.plan([ChangedFile(path: "app/config.txt", exists: true)], rules: project.rules(restart: .process))
        try await LiveUpdateTestEngine.withContainer(client, image: image, command: ["/busybox", "sleep", "3600"],
                                                     supervised: true) { id in
            #expect(try await client.exec(id, command: ["/bin/sh", "-c", "true"]).exitCode != 0)
            let before = try #require(try await client.inspectContainer(id))
            let pidBefore = try await Self.sleepPID(id, client: client)
            #expect(!pidBefore.isEmpty)

            let timeline = try await LiveUpdateExecutor(client: client).apply(
                plan, to: [LiveUpdateReplica(containerID: id, supervised: true)])

            let pidAfter = try await Self.sleepPID(id, client: client)
            let after = try #require(try await client.inspectContainer(id))
            #expect(!pidAfter.isEmpty && pidAfter != pidBefore)
            #expect(timeline.replicas.first?.processID.map(String.init) == pidAfter)
            #expect(after.id == before.id)
            #expect(after.state.startedAt == before.state.startedAt)
            #expect(after.state.running)
            #expect(try await LiveUpdateTestEngine.read("/srv/app/config.txt", in: id, client: client, busybox: "/busybox") == "v2")
        }
    }

    @Test("without a reachable channel the process restarts through docker exec")
    func restartsThroughExecWhenTheChannelIsUnreachable() async throws {
        let client = try DockerClient()
        let image = try await LiveUpdateTestEngine.scratchImage(client)
        try await LiveUpdateTestEngine.withContainer(client, image: image, command: ["/busybox", "sleep", "3600"],
                                                     supervised: true) { id in
            let pidBefore = try await Self.sleepPID(id, client: client)
            // Nothing listens on port 1 of the loopback: the channel is unreachable.
            let replica = LiveUpdateReplica(containerID: id, supervised: true, endpoint: ControlEndpoint(host: "127.0.0.1", port: 1, secret: ControlEndpoint.freshToken()))
            let timeline = try await LiveUpdateExecutor(client: client).apply(LiveUpdatePlan(restart: .process), to: [replica])
            let pidAfter = try await Self.sleepPID(id, client: client)
            #expect(!pidAfter.isEmpty && pidAfter != pidBefore)
            #expect(timeline.replicas.first?.processID.map(String.init) == pidAfter)
        }
    }

    @Test("restart: container restarts it through the engine, then the readiness check gates it")
    func restartsTheContainer() async throws {
        let client = try DockerClient()
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        try project.directory.write("app/config.txt", "c")
        let plan = try project.plan([ChangedFile(path: "app/config.txt", exists: true)], rules: project.rules(restart: .container))
        let command = ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage,
                                                     command: command, supervised: false) { id in
            let before = try #require(try await client.inspectContainer(id))
            let timeline = try await LiveUpdateExecutor(client: client).apply(
                plan, to: [LiveUpdateReplica(containerID: id, supervised: false)],
                readiness: { container in
                    try await LiveUpdateTestEngine.poll("the container running again") {
                        try await client.inspectContainer(container)?.state.running == true
                    }
                })
            let after = try #require(try await client.inspectContainer(id))
            #expect(after.state.startedAt != before.state.startedAt)
            #expect(after.state.running)
            #expect(timeline.readyMs != nil)
            #expect(try await LiveUpdateTestEngine.read("/srv/app/config.txt", in: id, client: client) == "c")
        }
    }

    @Test("the supervisor forwards a stop to the process and exits with its status")
    func forwardsSignalsOnStop() async throws {
        let client = try DockerClient()
        let image = try await LiveUpdateTestEngine.scratchImage(client)
        try await LiveUpdateTestEngine.withContainer(client, image: image, command: ["/busybox", "sleep", "3600"],
                                                     supervised: true) { id in
            try await client.stopContainer(id, timeout: 20)
            let info = try #require(try await client.inspectContainer(id))
            // SIGTERM reached sleep (128 + 15) well before the 20 s kill.
            #expect(info.state.exitCode == 143)
        }
    }

    @Test("the supervisor reaps orphaned zombies")
    func reapsZombies() async throws {
        let client = try DockerClient()
        // The workload starts a background child and exits its shell-less parent chain: the
        // orphan is re-parented to PID 1 and must not stay a zombie once it exits.
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage,
                                                     command: ["sh", "-c", "(sleep 0.2 &) ; exec sleep 3600"],
                                                     supervised: true) { id in
            try await LiveUpdateTestEngine.poll("the orphan gone from the process table") {
                let ps = try await client.exec(id, command: ["ps", "-o", "pid,stat,comm"]).stdoutText
                let lines = ps.split(separator: "\n").filter { $0.contains("sleep") }
                return lines.count == 1 && !ps.contains(" Z ")
            }
        }
    }
}
