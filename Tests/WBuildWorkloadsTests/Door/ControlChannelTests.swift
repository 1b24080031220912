import Foundation
import Testing
import WBuildDocker
import WBuildSystem
import WBuildTestSupport
@testable import WBuildWorkloads

/// wbuild's one control client, `ControlChannel`: it authenticates first and checks who answers.
@Suite("Control channel client")
struct ControlChannelTests {
    @Test("the client checks the program that greets it: the supervisor's client refuses a door, and a wrong secret says so")
    func theGreetingIsChecked() async throws {
        try await DoorProcess.with(backends: ["127.0.0.2"]) { door, _ in
            let endpoint = ControlEndpoint(host: "127.0.0.1", port: door.controlPort, secret: door.secret)
            #expect(throws: LiveUpdateError.self) {
                try ControlChannel.withConnection(to: endpoint) { channel throws(LiveUpdateError) in try channel.processID() }
            }
            do throws(LiveUpdateError) {
                _ = try ControlChannel.withConnection(to: endpoint) { channel throws(LiveUpdateError) in try channel.processID() }
            } catch {
                #expect(error.message.contains("expected wbuild-init 2 to answer, got \"OK wbuild-door 2\""), "\(error.message)")
                #expect(error.code == .supervisorFailed)
            }
            var wrong = endpoint
            wrong.secret = ControlEndpoint.freshToken()
            do throws(ControlReplyError) {
                _ = try ControlChannel(connectingTo: wrong, program: DoorBinary.program)
                Issue.record("a wrong secret was accepted")
            } catch {
                #expect(error.description == "not authenticated")
            }
            // The right program and secret: a channel, and the door's greeting.
            let channel = try ControlChannel(connectingTo: endpoint, program: DoorBinary.program)
            #expect(channel.greeting == "wbuild-door 2")
            channel.close()
        }
    }

    @Test("a secret is read back from the one-file tar the engine's archive API returns")
    func theSecretTarIsRead() throws {
        let secret = ControlEndpoint.freshToken()
        #expect(ControlEndpoint.isWellFormedSecret(secret))
        #expect(!ControlEndpoint.isWellFormedSecret(secret.uppercased()) && !ControlEndpoint.isWellFormedSecret(String(secret.dropLast())))
        let tar = try TarWriter.archive([.file("secret", contents: Array(secret.utf8))])
        #expect(SingleFileTar.contents(of: tar) == Array(secret.utf8))
        // Directories before the file are skipped; a tar without a file, or cut short, has none.
        let nested = try TarWriter.archive([.directory("d"), .file("d/secret", contents: Array("x".utf8))])
        #expect(SingleFileTar.contents(of: nested) == Array("x".utf8))
        #expect(SingleFileTar.contents(of: try TarWriter.archive([.directory("d")])) == nil)
        #expect(SingleFileTar.contents(of: Array(tar.prefix(540))) == nil)
        #expect(SingleFileTar.contents(of: []) == nil)
    }
}
