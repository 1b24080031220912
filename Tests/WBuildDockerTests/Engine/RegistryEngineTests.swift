import Foundation
import Synchronization
import Testing
import WBuildTestSupport
@testable import WBuildDocker

@Suite("Engine: push and distribution inspect against a local registry")
struct RegistryEngineTests {
    @Test("push returns the manifest digest, distribution inspect then finds it; a missing tag is nil")
    func pushAndInspect() async throws {
        _ = try await TestEngine.ensureBaseImage()
        let directory = try TemporaryDirectory(prefix: "registry")
        defer { directory.remove() }
        let registry = try LocalRegistry(directory: directory.path)
        defer { registry.stop() }
        #expect(await registry.waitUntilListening())
        let client = TestEngine.client()
        let repository = "\(registry.address)/\(TestEngine.uniqueName("push"))"
        try await client.tagImage(TestEngine.baseImage, repository: repository, tag: "v1")
        do {
            #expect(try await client.distributionInspect("\(repository):v1") == nil)
            let digest = try await client.pushImage(repository, tag: "v1")
            #expect(digest.hasPrefix("sha256:"))
            #expect(try await client.distributionInspect("\(repository):v1") == digest)

            // Pull it back after removing the local tag.
            try await client.removeImage("\(repository):v1")
            #expect(try await client.inspectImage("\(repository):v1") == nil)
            let statuses = Mutex<[String]>([])
            try await client.pullImage("\(repository):v1") { progress in statuses.withLock { $0.append(progress.status) } }
            #expect(try await client.inspectImage("\(repository):v1")?.repoDigests.contains("\(repository)@\(digest)") == true)
            #expect(statuses.withLock { $0 }.contains { $0.contains("Digest: \(digest)") })

            await #expect {
                try await client.pullImage("\(registry.address)/no-such-repository:1")
            } throws: { error in
                guard let error = error as? DockerError else { return false }
                return error.message.contains("cannot pull image \(registry.address)/no-such-repository:1")
                    && error.message.contains("does not exist") && (error.hint?.contains("check the name") ?? false)
            }

            await #expect {
                try await client.pushImage(repository, tag: "nosuch")
            } throws: { error in
                (error as? DockerError)?.kind == .inBandError && ((error as? DockerError)?.message.contains("nosuch") ?? false)
            }
        } catch {
            try? await client.removeImage("\(repository):v1")
            throw error
        }
        try await client.removeImage("\(repository):v1")
    }
}
