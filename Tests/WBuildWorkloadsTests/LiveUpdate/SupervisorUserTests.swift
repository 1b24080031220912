import Foundation
import Testing
import WBuildDocker
import WBuildTestSupport
@testable import WBuildWorkloads

/// An image with a `USER` that is not root: its supervisor runs as that user, so the secret is
/// given to it, and the channel answers (live update over the channel, `restart: "process"`).
@Suite("Supervisor under a non-root USER")
struct SupervisorUserTests {
    @Test func aSupervisorRunningAsANonRootUserReadsItsSecretAndAnswers() async throws {
        let client = try DockerClient()
        try await SupervisorTest.withContainer(client, configure: { $0.user = "65534:65534" }) { id in
            // The process really runs as that user.
            let status = try #require(try await SupervisorTest.shell("id -u", in: id, client: client))
            #expect(status.trimmingCharacters(in: .whitespacesAndNewlines) == "65534")
            let owner = try #require(try await SupervisorTest.shell("stat -c '%u:%g %a' /.wbuild/secret", in: id, client: client))
            #expect(owner.trimmingCharacters(in: .whitespacesAndNewlines) == "65534:65534 400")
            let endpoint = try await SupervisorTest.endpoint(of: id, client: client)
            #expect(try await SupervisorTest.processID(endpoint) > 0)
        }
    }

    @Test func namesAreLookedUpInTheImagesOwnFiles() async {
        let files: [String: String] = [
            "/etc/passwd": "root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n",
            "/etc/group": "root:x:0:\nstaff:x:50:\n",
        ]
        func read(_ path: String) async -> [UInt8]? { files[path].map { Array($0.utf8) } }
        #expect(await ContainerUser.resolve("", readFile: read) == .root)
        #expect(await ContainerUser.resolve("root", readFile: read) == .root)
        #expect(await ContainerUser.resolve("app", readFile: read) == ContainerUser(uid: 1000, gid: 1001))
        #expect(await ContainerUser.resolve("app:staff", readFile: read) == ContainerUser(uid: 1000, gid: 50))
        #expect(await ContainerUser.resolve("1000", readFile: read) == ContainerUser(uid: 1000, gid: 1001))
        #expect(await ContainerUser.resolve("4242:7", readFile: read) == ContainerUser(uid: 4242, gid: 7))
        #expect(await ContainerUser.resolve("ghost", readFile: read) == .root)
    }
}
