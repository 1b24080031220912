import Foundation
import Testing
import WBuildDocker
import WBuildSpec
import WBuildTestSupport
@testable import WBuildWorkloads

/// The property of `SyncPropertyTests` against a real container (busybox under the supervisor):
/// random edits over several batches, each applied one batch late through the real executor,
/// then the container's tree (listed with find, stat, sha256sum) must equal the host's.
@Suite("Sync property in a real container")
struct SyncContainerPropertyTests {
    static let seeds: [UInt64] = Array(1001...1024)

    @Test("random edits over several batches end with the container's tree equal to the host's", arguments: SyncTransport.allCases)
    func randomSequences(transport: SyncTransport) async throws {
        let client = try DockerClient()
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage, command: ["sleep", "3600"],
                                                     supervised: true) { id in
            for seed in Self.seeds {
                try await Self.run(seed: seed, transport: transport, in: id, client: client)
            }
        }
    }

    static func run(seed: UInt64, transport: SyncTransport, in id: String, client: DockerClient) async throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-sync-container-property")
        defer { directory.remove() }
        var random = SeededGenerator(seed: seed)
        let script = RandomHostScript(root: directory.path)
        let target = "/srv/seq\(seed)"
        let planner = try LiveUpdatePlanner(rules: LiveUpdateSpec(sync: [SyncRule(from: "app", to: target)]),
                                            target: LiveUpdateTarget(projectRoot: directory.path))
        let executor = LiveUpdateExecutor(client: client, transport: transport)
        var log: [String] = []
        func apply(_ batch: Set<String>) async throws {
            guard !batch.isEmpty else { return }
            guard case .apply(let plan) = planner.plan(changedFiles: batch.sorted().map { ChangedFile(path: $0) },
                                                       containerRunning: true) else { throw ScriptError("expected a plan") }
            log.append("apply \(batch.count) paths")
            _ = try await executor.apply(plan, to: [LiveUpdateReplica(containerID: id, supervised: true)])
        }
        try FileManager.default.createDirectory(atPath: directory.url("app"), withIntermediateDirectories: true)
        var initial: Set<String> = ["app"]
        for _ in 0..<8 {
            if let (what, reported) = try script.step(&random) { log.append(what); initial.formUnion(reported) }
        }
        try await apply(initial)
        try await script.runBatchedOneLate(steps: Int.random(in: 10...30, using: &random), random: &random,
                                           edited: { log.append($0) },
                                           apply: apply)
        let host = ContainerTree.describe(try HostTreeSnapshot.read(directory.url("app")))
        let container = try await ContainerTree.read(target, in: id, client: client)
        let differences = ContainerTree.differences(host: host, container: container)
        #expect(differences.isEmpty,
                "seed \(seed) (\(transport)): the container differs:\n\(differences.joined(separator: "\n"))\nedits:\n\(log.joined(separator: "\n"))")
    }
}
