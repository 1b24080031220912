import WBuildSystem
import Foundation
import Testing
import WBuildDocker
import WBuildTestSupport
@testable import WBuildWorkloads

@Suite("Supervisor channel")
struct SupervisorControlTests {
    @Test("a client without the container's secret cannot write files")
    func refusesAClientWithoutTheSecret() async throws {
        let client = try DockerClient()
        let write = SyncOperation.writeFile(containerPath: "/srv/app/evil.txt", bytes: Array("evil".utf8), mode: 0o644)
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage,
                                                     command: ["sleep", "3600"], supervised: true) { id in
            let endpoint = try #require(try await ControlEndpoint.resolveSupervisor(containerID: id, client: client))
            var withoutSecret = endpoint
            withoutSecret.secret = ControlEndpoint.freshToken()
            let unauthenticated = withoutSecret
            await #expect {
                _ = try await BlockingWork.run(name: "test-sync") {
                    try ControlChannel.withConnection(to: unauthenticated) { channel throws(LiveUpdateError) in
                        try channel.apply([write])
                    }
                }
            } throws: { error in
                (error as? LiveUpdateError)?.message.contains("refused wbuild's secret") == true
            }
            #expect(try await LiveUpdateTestEngine.exists("/srv/app/evil.txt", in: id, client: client) == false)
        }
    }

    @Test("files travel over a supervisor port the runtime published on 127.0.0.1, with the secret")
    func syncsThroughAPublishedPort() async throws {
        let client = try DockerClient()
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        try project.directory.write("app/published.txt", "via 127.0.0.1")
        let port = "\(SupervisorBinary.defaultPort)/tcp"
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage, command: ["sleep", "3600"],
                                                     supervised: true, configure: { config in
            config.exposedPorts = [port: EmptyObject()]
            config.hostConfig = HostConfig(portBindings: [port: [PortBinding(hostIp: "127.0.0.1", hostPort: "")]])
        }) { id in
            let info = try #require(try await client.inspectContainer(id))
            let hostPort = try #require(info.ports[port]?.first?.hostPort.flatMap { Int($0) })
            let secret = try #require(await ControlSecrets.secret(of: id, client: client))
            let replica = LiveUpdateReplica(containerID: id, supervised: true,
                                            endpoint: ControlEndpoint(host: "127.0.0.1", port: hostPort, secret: secret))
            let timeline = try await LiveUpdateExecutor(client: client).apply(
                try project.plan([ChangedFile(path: "app/published.txt", exists: true)], rules: project.rules(restart: .process)),
                to: [replica])
            #expect(timeline.replicas.first?.transport == .supervisor)
            #expect(try await LiveUpdateTestEngine.read("/srv/app/published.txt", in: id, client: client) == "via 127.0.0.1")
        }
    }

    @Test("the supervisor binary is a static executable that runs in a scratch image")
    func theBinaryIsStatic() async throws {
        let bytes = try await SupervisorBinary.contents()
        #expect(Array(bytes.prefix(4)) == [0x7F, 0x45, 0x4C, 0x46])
        // No PT_INTERP: no dynamic loader needed. Scan the ELF64 program headers.
        let programHeaderOffset = bytes[32..<40].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let entrySize = Int(bytes[54]) | Int(bytes[55]) << 8
        let count = Int(bytes[56]) | Int(bytes[57]) << 8
        let types = (0..<count).map { index in
            let start = programHeaderOffset + index * entrySize
            return bytes[start..<start + 4].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        }
        #expect(!types.isEmpty)
        #expect(!types.contains(3), "PT_INTERP found: the supervisor is dynamically linked")
    }
}
