import WBuildTestSupport
import Foundation
import Testing
@testable import WBuildDocker

@Suite("Engine: containers, exec, archive, logs, events, networks (real engine)")
struct ContainerEngineTests {
    /// A long-running busybox container that exits cleanly on SIGTERM.
    static func runningContainer(_ client: DockerClient, name: String, labels: [String: String] = [:]) async throws -> String {
        _ = try await TestEngine.ensureBaseImage()
        let config = ContainerConfig(
            image: TestEngine.baseImage,
            cmd: ["sh", "-c", "trap 'exit 0' TERM; echo out-line; echo err-line >&2; while true; do sleep 0.1; done"],
            labels: ["dev.wbuild.test": "WBuildDockerTests"].merging(labels) { $1 })
        let id = try await client.createContainer(name: name, config: config)
        try await client.startContainer(id)
        return id
    }

    @Test("create, start, exec, put an archive and read it back, logs, stop, remove")
    func lifecycle() async throws {
        let client = TestEngine.client()
        let name = TestEngine.uniqueName("life")
        let id = try await Self.runningContainer(client, name: name)
        do {
            let running = try #require(try await client.inspectContainer(name))
            #expect(running.id == id)
            #expect(running.state.running)
            #expect(running.name == "/\(name)")

            let result = try await client.exec(id, command: ["sh", "-c", "echo hi; echo oops >&2; exit 4"])
            #expect(result == ExecResult(exitCode: 4, stdout: Array("hi\n".utf8), stderr: Array("oops\n".utf8)))
            let withEnv = try await client.exec(id, command: ["sh", "-c", "echo $GREETING; pwd"], env: ["GREETING=hola"], workdir: "/bin")
            #expect(withEnv.stdoutText == "hola\n/bin\n")
            #expect(withEnv.exitCode == 0)

            let marker = UUID().uuidString
            let tar = try TarWriter.archive([.directory("data"), .file("data/hello.txt", contents: Array("hello \(marker)\n".utf8))])
            try await client.putArchive(id, path: "/", tar: tar)
            let readBack = try await client.exec(id, command: ["cat", "/data/hello.txt"])
            #expect(readBack.stdoutText == "hello \(marker)\n")

            let sawBoth = try await eventually {
                var lines: [LogLine] = []
                for try await line in try await client.logs(id) { lines.append(line) }
                return lines.contains(LogLine(stream: .stdout, text: "out-line")) && lines.contains(LogLine(stream: .stderr, text: "err-line"))
            }
            #expect(sawBoth)

            let listed = try await client.listContainers(labels: ["dev.wbuild.test=WBuildDockerTests"], all: false)
            #expect(listed.contains { $0.id == id && $0.names == ["/\(name)"] && $0.state == "running" })

            try await client.stopContainer(id, timeout: 5)
            let stopped = try #require(try await client.inspectContainer(id))
            #expect(stopped.state.status == "exited")
            #expect(stopped.state.exitCode == 0)
        } catch {
            try? await client.removeContainer(id, force: true)
            throw error
        }
        try await client.removeContainer(id, force: true, volumes: true)
        #expect(try await client.inspectContainer(id) == nil)
    }

    @Test("following logs of a container that exits yields every line, then ends; wait gives the exit code")
    func followLogsAndWait() async throws {
        _ = try await TestEngine.ensureBaseImage()
        let client = TestEngine.client()
        let config = ContainerConfig(image: TestEngine.baseImage,
                                     cmd: ["sh", "-c", "for i in 1 2 3; do echo line-$i; done; echo bad >&2; exit 3"],
                                     labels: ["dev.wbuild.test": "WBuildDockerTests"])
        let id = try await client.createContainer(name: TestEngine.uniqueName("logs"), config: config)
        try await TestEngine.withCleanup {
            try await client.startContainer(id)
            // `not-running` returns at once for an exited container, with its status.
            #expect(try await client.waitContainer(id) == 3)
            var lines: [LogLine] = []
            for try await line in try await client.logs(id, follow: true) { lines.append(line) }
            #expect(lines.filter { $0.stream == .stdout }.map(\.text) == ["line-1", "line-2", "line-3"])
            #expect(lines.filter { $0.stream == .stderr }.map(\.text) == ["bad"])
            // The engine copies the two streams independently, so only the count of the tail is certain.
            var last: [LogLine] = []
            for try await line in try await client.logs(id, tail: 2) { last.append(line) }
            #expect(last.count == 2)
            #expect(last.allSatisfy(lines.contains))
        } cleanup: {
            try? await client.removeContainer(id, force: true)
        }
    }

    @Test("events report a labelled container's start and die with its exit code")
    func events() async throws {
        _ = try await TestEngine.ensureBaseImage()
        let client = TestEngine.client()
        let marker = TestEngine.uniqueName("events")
        let since = Int64(Date().timeIntervalSince1970) - 1
        let stream = try await client.events(filters: ["type": ["container"], "label": ["marker=\(marker)"], "event": ["start", "die"]],
                                             since: since)
        let id = try await client.createContainer(name: marker, config: ContainerConfig(
            image: TestEngine.baseImage, cmd: ["sh", "-c", "exit 5"], labels: ["dev.wbuild.test": "WBuildDockerTests", "marker": marker]))
        try await TestEngine.withCleanup {
            try await client.startContainer(id)
            let seen = try await withDeadline(.seconds(60)) {
                var seen: [DockerEvent] = []
                for try await event in stream {
                    seen.append(event)
                    if event.action == "die" { break }
                }
                return seen
            }
            #expect(seen.map(\.action) == ["start", "die"])
            #expect(seen.allSatisfy { $0.actorID == id && $0.type == "container" })
            #expect(seen.last?.attributes["exitCode"] == "5")
            #expect(seen.last?.attributes["marker"] == marker)
        } cleanup: {
            try? await client.removeContainer(id, force: true)
        }
    }

    @Test("creating from a missing image is notFound; exec in a stopped container is a 409")
    func containerErrors() async throws {
        _ = try await TestEngine.ensureBaseImage()
        let client = TestEngine.client()
        await #expect {
            _ = try await client.createContainer(name: nil, config: ContainerConfig(image: TestEngine.uniqueName("noimage") + ":1"))
        } throws: { error in
            (error as? DockerError)?.kind == .notFound && (error as? DockerError)?.status == 404
        }
        let id = try await client.createContainer(name: TestEngine.uniqueName("created"),
                                                  config: ContainerConfig(image: TestEngine.baseImage, labels: ["dev.wbuild.test": "WBuildDockerTests"]))
        try await TestEngine.withCleanup {
            await #expect {
                _ = try await client.exec(id, command: ["true"])
            } throws: { error in
                (error as? DockerError)?.kind == .httpError && (error as? DockerError)?.status == 409
            }
        } cleanup: {
            try? await client.removeContainer(id, force: true)
        }
    }

    @Test("networks: create with labels, refuse a duplicate name, list by label, remove")
    func networks() async throws {
        let client = TestEngine.client()
        let name = TestEngine.uniqueName("net")
        let id = try await client.createNetwork(name: name, labels: ["dev.wbuild.test": "WBuildDockerTests", "marker": name])
        do {
            await #expect(throws: DockerError.self) { _ = try await client.createNetwork(name: name) }
            let listed = try await client.listNetworks(labels: ["marker=\(name)"])
            #expect(listed.map(\.id) == [id])
            #expect(listed.first?.name == name)
            #expect(listed.first?.driver == "bridge")

            // Attach a running container under an alias; removal is refused while it is attached.
            let container = try await Self.runningContainer(client, name: TestEngine.uniqueName("netmember"))
            try await TestEngine.withCleanup {
                try await client.connectNetwork(id, container: container, aliases: ["web"])
                let joined = try await client.inspectContainer(container)?.networks[name]
                #expect(joined?.aliases?.contains("web") == true)
                #expect(joined?.ipAddress?.isEmpty == false)
                await #expect {
                    try await client.removeNetwork(id)
                } throws: { error in
                    (error as? DockerError)?.status == 403
                }
                try await client.disconnectNetwork(id, container: container)
                #expect(try await client.inspectContainer(container)?.networks[name] == nil)
            } cleanup: {
                try? await client.removeContainer(container, force: true)
            }
        } catch {
            try? await client.removeNetwork(id)
            throw error
        }
        try await client.removeNetwork(id)
        #expect(try await client.listNetworks(labels: ["marker=\(name)"]).isEmpty)
    }

    @Test("volumes: an anonymous volume is listed by its container's label filter and removed")
    func volumes() async throws {
        let client = TestEngine.client()
        let name = TestEngine.uniqueName("vol")
        #expect(try await client.listVolumes(labels: ["marker=\(name)"]).isEmpty)
        await #expect {
            try await client.removeVolume(name)
        } throws: { error in
            (error as? DockerError)?.kind == .notFound
        }
    }

    @Test("cancelling the task that follows logs ends the stream and closes its connection")
    func cancelFollow() async throws {
        let client = TestEngine.client()
        let id = try await Self.runningContainer(client, name: TestEngine.uniqueName("cancel"))
        try await TestEngine.withCleanup {
            let stream = try await client.logs(id, follow: true)
            let received = LockedState(0)
            let ended = LockedState<Result<Void, DockerError>?>(nil)
            let follower = Task {
                do {
                    for try await _ in stream { received.withLock { $0 += 1 } }
                    ended.withLock { $0 = .success(()) }
                } catch {
                    ended.withLock { $0 = .failure(error as? DockerError ?? DockerError(.protocolError, message: "\(error)")) }
                }
            }
            // Both start-up lines arrived: the follow request is live and blocked waiting for more.
            #expect(await eventually { received.value >= 2 })
            follower.cancel()
            // The stream ends cleanly (no error) instead of waiting for the container to exit.
            #expect(await eventually(within: .seconds(30)) { ended.value != nil })
            if case .failure(let error) = ended.value { Issue.record(error) }
            // …and the blocked reader thread was woken and let go of its connection.
            #expect(await eventually { client.transport.requestsInFlight == 0 })
            #expect(try await client.inspectContainer(id)?.state.running == true)
        } cleanup: {
            try? await client.removeContainer(id, force: true)
        }
    }

    @Test("restart gives a new start time; kill with a bad signal is a 400; kill stops it")
    func restartAndKill() async throws {
        let client = TestEngine.client()
        let id = try await Self.runningContainer(client, name: TestEngine.uniqueName("restart"))
        try await TestEngine.withCleanup {
            let before = try #require(try await client.inspectContainer(id)).state.startedAt
            try await client.restartContainer(id, timeout: 5)
            let after = try #require(try await client.inspectContainer(id))
            #expect(after.state.running)
            #expect(after.state.startedAt != before)
            await #expect {
                try await client.killContainer(id, signal: "BOGUS")
            } throws: { error in
                (error as? DockerError)?.status == 400
            }
            try await client.killContainer(id, signal: "SIGKILL")
            #expect(try await client.waitContainer(id) == 137)
        } cleanup: {
            try? await client.removeContainer(id, force: true)
        }
    }
}
