import Foundation
import Testing
import WBuildDocker
@testable import WBuildWorkloads

@Suite("DoorImage: the front door's image on the real engine")
struct DoorImageTests {
    let client = DockerClient(host: .defaultSocket)

    @Test func theDoorImageIsTaggedByItsBinaryAndOlderOnesArePruned() async throws {
        let tag = try await DoorImage.ensure(client: client, workload: "web")
        #expect(tag.hasPrefix("wbuild/door:") && tag.count == "wbuild/door:".count + 16)
        let image = try #require(try await client.inspectImage(tag))
        #expect(image.entrypoint == ["/wbuild-door"])
        #expect(try await DoorImage.ensure(client: client, workload: "web") == tag, "found, not built again")

        // A door image an earlier wbuild built: same label, another tag.
        let old = "wbuild/door:old-\(UUID().uuidString.prefix(8).lowercased())"
        let context = try TarWriter.archive([.file("Dockerfile", contents: Array("FROM scratch\nCOPY marker /marker\n".utf8)),
                                             .file("marker", contents: Array(old.utf8))])
        try await client.build(contextTar: context, options: BuildOptions(tags: [old], labels: [ContainerLabels.door: "1"]))
        #expect(try await client.inspectImage(old) != nil)
        await DoorImage.removeOlderDoorImages(keeping: tag, client: client)
        #expect(try await client.inspectImage(old) == nil)
        #expect(try await client.inspectImage(tag) != nil)
    }
}
