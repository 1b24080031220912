import Foundation
import Testing
import WBuildDocker
import WBuildSystem
import WBuildTestSupport
@testable import WBuildWorkloads

/// Who can use a live-updated container's supervisor: wbuild, which holds the container's secret,
/// and nobody else on the machine, whether at the port published on 127.0.0.1 or at the
/// container's address on its network.
@Suite("Supervisor access")
struct SupervisorAccessTests {
    static let port = "\(SupervisorBinary.defaultPort)/tcp"

    /// A supervised container with its channel published on 127.0.0.1 (as the runtime does) and a
    /// file wbuild synced: what strangers try to delete.
    static func withPublishedContainer(_ client: DockerClient, _ body: (String) async throws -> Void) async throws {
        try await SupervisorTest.withContainer(client, configure: { config in
            config.exposedPorts = [port: EmptyObject()]
            config.hostConfig = HostConfig(portBindings: [port: [PortBinding(hostIp: "127.0.0.1", hostPort: "")]])
        }) { id in
            try await SupervisorTest.apply([.writeFile(containerPath: "/srv/app/keep", bytes: Array("kept".utf8), mode: 0o644)],
                                           to: id, client: client)
            try await body(id)
        }
    }

    @Test("root without the secret and uid 65534 cannot write, delete, restart or read through the supervisor",
          arguments: [StrangerClient.Who.rootWithoutTheSecret, .nobody])
    func strangersAreRefused(_ who: StrangerClient.Who) async throws {
        let client = try DockerClient()
        try await Self.withPublishedContainer(client) { id in
            let info = try #require(try await client.inspectContainer(id))
            let published = try #require(info.ports[Self.port]?.first?.hostPort.flatMap { Int($0) })
            let address = try #require(info.networks.values.compactMap(\.ipAddress).first { !$0.isEmpty })
            let secret = try #require(await ControlSecrets.secret(of: id, client: client))
            let wbuild = ControlEndpoint(host: "127.0.0.1", port: published, secret: secret)
            let pidBefore = try await SupervisorTest.processID(wbuild)
            for (host, port) in [("127.0.0.1", published), (address, SupervisorBinary.defaultPort)] {
                for request in StrangerClient.supervisorAttempts(secret: secret) {
                    let reply = try await StrangerClient.attempt(request, host: host, port: port, as: who)
                    #expect(reply == "ERR not authenticated\n", "\(who) at \(host):\(port) sent \(request.prefix(20).debugDescription)")
                }
            }
            // Nothing they sent was done: no file written, none deleted, no restart.
            #expect(try await SupervisorTest.shell("cat /srv/app/keep", in: id, client: client) == "kept")
            #expect(try await SupervisorTest.shell("ls -A /srv/app", in: id, client: client) == "keep\n")
            #expect(try await SupervisorTest.processID(wbuild) == pidBefore)
        }
    }

    @Test("the secret is in no process's command line or environment, not in docker inspect, and uid 65534 cannot read it")
    func theSecretIsNotShown() async throws {
        let client = try DockerClient()
        try await Self.withPublishedContainer(client) { id in
            let secret = try #require(await ControlSecrets.secret(of: id, client: client))
            #expect(!StrangerClient.secretInAnyProcess(secret))
            let inspected = await BlockingWork.run(name: "test-inspect") { DockerCLI.run(["inspect", id]) }
            #expect(inspected?.isEmpty == false)
            #expect(inspected?.contains(secret) == false)
            let upper = await BlockingWork.run(name: "test-inspect") {
                DockerCLI.run(["inspect", "-f", "{{.GraphDriver.Data.UpperDir}}", id])
            }
            let file = (upper ?? "") + "/.wbuild/secret"
            #expect((try? String(contentsOfFile: file, encoding: .utf8)) == secret, "root reads it at \(file)")
            let byNobody = try await StrangerClient.asNobody(["/bin/cat", file])
            #expect(byNobody.exitCode != 0 && !byNobody.output.contains(secret))
            // In the container it is root's alone.
            #expect(try await SupervisorTest.shell("stat -c '%a %u' /.wbuild/secret", in: id, client: client)
                    == "400 0\n")
        }
    }

    @Test("a container this process did not start is reached with the secret read back from it")
    func adoptedContainersReadTheSecretBack() async throws {
        let client = try DockerClient()
        try await Self.withPublishedContainer(client) { id in
            let secret = try #require(await ControlSecrets.secret(of: id, client: client))
            ControlSecrets.forget(id)  // as a new wbuild process, which knows nothing yet
            let endpoint = try await SupervisorTest.endpoint(of: id, client: client)
            #expect(endpoint.secret == secret)
            try await SupervisorTest.apply([.writeFile(containerPath: "/srv/app/adopted", bytes: Array("yes".utf8), mode: 0o644)],
                                           to: id, client: client)
            #expect(try await SupervisorTest.shell("cat /srv/app/adopted", in: id, client: client) == "yes")
        }
    }

    @Test("the workload's process starts with default signal dispositions and nothing blocked, also after a restart")
    func signalDispositionsAreReset() async throws {
        let client = try DockerClient()
        try await SupervisorTest.withContainer(client) { id in
            let endpoint = try await SupervisorTest.endpoint(of: id, client: client)
            func signals(of pid: Int) async throws -> String? {
                try await SupervisorTest.shell("grep -E '^Sig(Blk|Ign)' /proc/\(pid)/status", in: id, client: client)
            }
            // The supervisor ignores SIGPIPE (bit 13 of SigIgn); exec would pass that on.
            let clean = "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n"
            #expect(try await signals(of: try await SupervisorTest.processID(endpoint)) == clean)
            let restarted = try await BlockingWork.run(name: "test-restart") {
                try ControlChannel.withConnection(to: endpoint) { channel throws(LiveUpdateError) in try channel.restartProcess() }
            }
            #expect(try await signals(of: restarted) == clean, "after a restart")
        }
    }

    @Test("under an image whose USER is not root the supervisor reads its secret (given to that user) and files go over its channel")
    func aNonRootSupervisorAnswers() async throws {
        let client = try DockerClient()
        // The sync target belongs to the image's user, as it must for any tool that syncs as that user.
        let dockerfile = "FROM \(LiveUpdateTestEngine.shellImage)\nRUN mkdir -p /srv/app && chown 65534:65534 /srv/app\nUSER 65534:65534\n"
        let tag = "wbuild-test/liveupdate-nonroot:2"
        try await client.build(contextTar: try TarWriter.archive([.file("Dockerfile", contents: Array(dockerfile.utf8))]),
                               options: BuildOptions(tags: [tag]))
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        try project.directory.write("app/page.txt", "through the supervisor")
        try await LiveUpdateTestEngine.withContainer(client, image: tag, command: ["sleep", "3600"], supervised: true) { id in
            let timeline = try await LiveUpdateExecutor(client: client).apply(
                try project.plan([ChangedFile(path: "app/page.txt", exists: true)], rules: project.rules()),
                to: [LiveUpdateReplica(containerID: id, supervised: true)])
            #expect(timeline.replicas.first?.transport == .supervisor)
            #expect(try await LiveUpdateTestEngine.read("/srv/app/page.txt", in: id, client: client) == "through the supervisor")
            let owner = try await client.exec(id, command: ["stat", "-c", "%u", "/srv/app/page.txt"])
            #expect(owner.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "65534")
        }
    }
}
