import Foundation
import Testing
import WBuildTestSupport
@testable import WBuildDocker

@Suite("Engine: push, distribution inspect and login against a local registry with basic auth")
struct RegistryAuthEngineTests {
    static let users = ["alice": "secret-pw"]

    /// A running registry with `users`, an image tagged into it, and a cleanup of both.
    static func withRegistry(_ body: (LocalRegistry, DockerClient, String) async throws -> Void) async throws {
        _ = try await TestEngine.ensureBaseImage()
        let directory = try TemporaryDirectory(prefix: "registry-auth")
        defer { directory.remove() }
        let registry = try LocalRegistry(directory: directory.path, users: users)
        defer { registry.stop() }
        #expect(await registry.waitUntilListening())
        let client = TestEngine.client()
        let repository = "\(registry.address)/\(TestEngine.uniqueName("auth"))"
        try await client.tagImage(TestEngine.baseImage, repository: repository, tag: "v1")
        try await TestEngine.withCleanup({ try await body(registry, client, repository) }, cleanup: {
            try? await client.removeImage("\(repository):v1")
        })
    }

    static func right(_ registry: LocalRegistry) -> RegistryAuth {
        RegistryAuth(serverAddress: registry.address, username: "alice", password: "secret-pw", source: .configFile("/test/config.json"))
    }

    static func wrong(_ registry: LocalRegistry) -> RegistryAuth {
        RegistryAuth(serverAddress: registry.address, username: "alice", password: "not-it", source: .configFile("/test/config.json"))
    }

    @Test("right credentials: push succeeds, the registry's manifest digest equals it, inspect finds it, login succeeds; a wiped registry forgets")
    func rightCredentials() async throws {
        try await Self.withRegistry { registry, client, repository in
            let auth = Self.right(registry)
            try await client.checkLogin(auth)
            #expect(try await client.distributionInspect("\(repository):v1", auth: auth) == nil)
            let digest = try await client.pushImage(repository, tag: "v1", auth: auth)
            #expect(digest.hasPrefix("sha256:"))
            let path = String(repository.dropFirst(registry.address.count + 1))
            #expect(try await registry.manifestDigest(repository: path, tag: "v1") == digest)
            #expect(try await client.distributionInspect("\(repository):v1", auth: auth) == digest)

            try registry.wipeStorage()
            #expect(try await registry.manifestDigest(repository: path, tag: "v1") == nil)
            #expect(try await client.distributionInspect("\(repository):v1", auth: auth) == nil)
        }
    }

    @Test("no or wrong credentials: push, distribution inspect and login fail naming the registry and hinting docker login")
    func refusedCredentials() async throws {
        try await Self.withRegistry { registry, client, repository in
            for auth in [nil, Self.wrong(registry)] {
                let pushError = try #require(await #expect(throws: DockerError.self) {
                    try await client.pushImage(repository, tag: "v1", auth: auth)
                })
                #expect(pushError.kind == .inBandError)
                #expect(pushError.message.contains("registry \(registry.address) refused the push"))
                #expect(pushError.hint?.contains("docker login \(registry.address)") == true)
                #expect(DockerClient.registryProblem(in: pushError.message) == .unauthorized)
                #expect(!pushError.description.contains("not-it"))

                let inspectError = try #require(await #expect(throws: DockerError.self) {
                    try await client.distributionInspect("\(repository):v1", auth: auth)
                })
                #expect(inspectError.message.contains("registry \(registry.address) refused"))
                #expect(inspectError.hint?.contains("docker login \(registry.address)") == true)
            }
            for auth in [RegistryAuth.anonymous(registry.address), Self.wrong(registry)] {
                let loginError = try #require(await #expect(throws: DockerError.self) { try await client.checkLogin(auth) })
                #expect(loginError.message.contains("registry \(registry.address) refused the login"))
                #expect(loginError.hint?.contains("docker login \(registry.address)") == true)
                #expect(!loginError.description.contains("not-it"))
            }
            #expect(try await registry.manifestDigest(repository: String(repository.dropFirst(registry.address.count + 1)), tag: "v1") == nil)
        }
    }

    @Test("a stopped registry is unreachable for login and push; after a restart on the same port the login works again")
    func stoppedRegistry() async throws {
        try await Self.withRegistry { registry, client, repository in
            let auth = Self.right(registry)
            registry.stop()
            let loginError = try #require(await #expect(throws: DockerError.self) { try await client.checkLogin(auth) })
            #expect(DockerClient.registryProblem(in: loginError.message) == .unreachable)
            #expect(loginError.message.contains("cannot log in to registry \(registry.address): it cannot be reached"))
            #expect(loginError.hint?.contains("docker login \(registry.address)") == true)

            let pushError = try #require(await #expect(throws: DockerError.self) {
                try await client.pushImage(repository, tag: "v1", auth: auth)
            })
            #expect(DockerClient.registryProblem(in: pushError.message) == .unreachable)
            #expect(pushError.message.contains("registry \(registry.address) cannot be reached"))

            try await registry.restart()
            try await client.checkLogin(auth)
        }
    }
}
