import Foundation
import WBuildSystem

/// The registries one publish suite run started, and the clean-up they need: each stopped and
/// its storage removed, then every local tag that names one of their addresses
/// (`127.0.0.1:PORT/…`: the suite's `docker tag`s for Compose and the tags a push leaves) untagged.
struct PublishRegistries: Sendable {
    /// Where each registry's directory goes (`registry-N`).
    var root: String
    private(set) var running: [LocalRegistry] = []
    /// Every address started, running or not, for the untagging at the end.
    private(set) var addresses: [String] = []

    init(root: String) { self.root = root }

    /// A new empty registry at a new port.
    mutating func start() async throws(BenchError) -> LocalRegistry {
        let registry = try await LocalRegistry.start(in: root + "/registry-\(addresses.count + 1)")
        running.append(registry)
        addresses.append(registry.address)
        return registry
    }

    /// Stops every running registry (their addresses stay known for `close`).
    mutating func stopAll() async {
        for registry in running { await registry.stop() }
        running = []
    }

    /// Stops the registries and removes the local tags naming them. Best effort: clean-up
    /// never fails a run.
    mutating func close() async {
        await stopAll()
        guard let listed = try? await ProcessTimer.run(
            DockerPeer.docker(["images", "--format", "{{.Repository}}:{{.Tag}}"]), in: root, tailLines: 100_000),
            listed.status.isSuccess else { return }
        let prefixes = addresses.map { $0 + "/" }
        let tags = listed.output.filter { $0.stream == .stdout }.map(\.line).filter { line in
            prefixes.contains { line.hasPrefix($0) }
        }
        for batch in stride(from: 0, to: tags.count, by: 50) {
            _ = try? await ProcessTimer.run(DockerPeer.docker(["rmi"] + tags[batch..<min(batch + 50, tags.count)]), in: root)
        }
    }
}
