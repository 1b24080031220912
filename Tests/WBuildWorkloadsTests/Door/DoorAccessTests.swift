import Foundation
import Testing
import WBuildDocker
import WBuildSystem
import WBuildTestSupport
@testable import WBuildWorkloads

/// Who can use a front door's control port in its container: wbuild, with the secret it wrote
/// into the container before the start, and no other process on the machine.
@Suite("Door access")
struct DoorAccessTests {
    /// A door container as the runtime makes one (the door image, the secret put in before start).
    static func withDoor(_ body: (DockerClient, String, ControlEndpoint) async throws -> Void) async throws {
        let client = try DockerClient()
        let name = "wbuild-door-access-\(UUID().uuidString.prefix(8).lowercased())"
        var created: String?
        // Other checkouts' tests on this engine prune door images of other binaries than theirs:
        // ensure again when ours went away between ensure and create.
        for _ in 0..<3 where created == nil {
            let image = try await DoorImage.ensure(client: client, workload: "door-access")
            let config = ContainerConfig(image: image, cmd: ["--control", String(DoorBinary.defaultControlPort), "8080"],
                                         labels: ["dev.wbuild.project": LiveUpdateTestEngine.projectLabel])
            do {
                created = try await client.createContainer(name: name, config: config)
            } catch let error as DockerError where error.kind == .notFound {
                continue
            }
        }
        let id = try #require(created)
        do {
            try await client.putArchive(id, path: "/", tar: try TarWriter.archive(ControlSecrets.fresh(for: id).entries))
            try await client.startContainer(id)
            let info = try #require(try await client.inspectContainer(id))
            let address = try #require(info.networks.values.compactMap(\.ipAddress).first { !$0.isEmpty })
            let secret = try #require(await ControlSecrets.secret(of: id, client: client))
            let endpoint = ControlEndpoint(host: address, port: DoorBinary.defaultControlPort, secret: secret)
            #expect(await eventually(within: .seconds(10)) { (try? await Self.command("HELLO", endpoint)) == "wbuild-door 2" })
            try await body(client, id, endpoint)
            try? await client.removeContainer(id, force: true)
        } catch {
            try? await client.removeContainer(id, force: true)
            throw error
        }
    }

    /// One request over wbuild's client; the text after `OK`.
    static func command(_ line: String, _ endpoint: ControlEndpoint) async throws -> String {
        try await BlockingWork.run(name: "test-door") { () throws -> String in
            try ControlChannel.command(line, to: endpoint, program: DoorBinary.program, replyTimeoutSeconds: 5)
        }
    }

    @Test("root without the secret and uid 65534 can neither read nor change the door's backends",
          arguments: [StrangerClient.Who.rootWithoutTheSecret, .nobody])
    func strangersAreRefused(_ who: StrangerClient.Who) async throws {
        try await Self.withDoor { _, _, endpoint in
            #expect(try await Self.command("SET 10.1.1.1", endpoint) == "1")
            for request in StrangerClient.doorAttempts(secret: endpoint.secret) {
                let reply = try await StrangerClient.attempt(request, host: endpoint.host, port: endpoint.port, as: who)
                #expect(reply == "ERR not authenticated\n", "\(who) sent \(request.prefix(20).debugDescription)")
            }
            #expect(try await Self.command("GET", endpoint) == "10.1.1.1")
        }
    }

    @Test("the door's secret is in no process's command line or environment and not in docker inspect")
    func theSecretIsNotShown() async throws {
        try await Self.withDoor { _, id, endpoint in
            #expect(!StrangerClient.secretInAnyProcess(endpoint.secret))
            let inspected = await BlockingWork.run(name: "test-inspect") { DockerCLI.run(["inspect", id]) }
            #expect(inspected?.isEmpty == false)
            #expect(inspected?.contains(endpoint.secret) == false)
        }
    }
}
