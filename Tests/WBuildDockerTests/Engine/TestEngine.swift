import Foundation
@testable import WBuildDocker

/// The real engine on /var/run/docker.sock, the shared busybox base image, and unique names.
enum TestEngine {
    static let baseImage = "wbuild-test/busybox:1"
    /// Label put on everything these tests create, so a crashed run can be cleaned up by hand.
    static let label = "dev.wbuild.test=WBuildDockerTests"

    /// A client of its own per test, so connection counts do not mix between parallel tests.
    static func client() -> DockerClient {
        DockerClient(host: .defaultSocket)
    }

    static func uniqueName(_ what: String) -> String {
        "wbuild-dockertest-\(what)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// The busybox base image, built once per test run through our own client when missing.
    static func ensureBaseImage() async throws -> String {
        try await baseImageTask.value
    }

    private static let baseImageTask = Task<String, any Error> {
        let client = TestEngine.client()
        if let existing = try await client.inspectImage(baseImage) { return existing.id }
        let dockerfile = "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\",\"--install\",\"-s\",\"/bin\"]\nCMD [\"/bin/sh\"]\n"
        return try await client.build(options: BuildOptions(tags: [baseImage])) { write in
            var tar = TarWriter(sink: write)
            try tar.append(.file("Dockerfile", contents: Array(dockerfile.utf8)))
            try tar.append(.file("busybox", from: "/bin/busybox", mode: 0o755))
            try tar.finish()
        }
    }

    /// A context tar with just a Dockerfile.
    static func context(dockerfile: String, files: [String: String] = [:]) throws -> [UInt8] {
        var entries: [TarEntry] = [.file("Dockerfile", contents: Array(dockerfile.utf8))]
        for (path, contents) in files.sorted(by: { $0.key < $1.key }) {
            entries.append(.file(path, contents: Array(contents.utf8)))
        }
        return try TarWriter.archive(entries)
    }
}

extension TestEngine {
    /// Runs `body`, then always runs `cleanup` (awaited, unlike a `defer` that spawns a task).
    @discardableResult
    static func withCleanup<T>(_ body: () async throws -> T, cleanup: () async -> Void) async throws -> T {
        do {
            let result = try await body()
            await cleanup()
            return result
        } catch {
            await cleanup()
            throw error
        }
    }
}
