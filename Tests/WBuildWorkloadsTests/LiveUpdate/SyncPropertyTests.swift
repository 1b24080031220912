import Foundation
import Testing
import WBuildSpec
import WBuildTestSupport
@testable import WBuildWorkloads

/// After any sequence of batches, the container's synced tree equals the host's: content,
/// modes, symlinks as links, empty directories. Random edits of a real directory, the paths
/// each reports grouped into batches, planned by the real planner, read from the host by the
/// real reader *one batch late* (so the host has moved on since each batch closed, as it does
/// while an update is applied), applied to an in-memory container that follows the
/// supervisor's rules; then the ledger replayed into a fresh copy of the image must give the
/// same tree. Seeded: a failure names its seed and the edits.
@Suite("Sync property: the container's tree equals the host's after any batches")
struct SyncPropertyTests {
    static let seeds: [UInt64] = Array(1...300)

    @Test("random edits over several batches, then settle", arguments: seeds)
    func randomSequence(seed: UInt64) async throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-sync-property")
        defer { directory.remove() }
        var random = SeededGenerator(seed: seed)
        let script = RandomHostScript(root: directory.path)
        var log: [String] = []
        // The image: a few edits, then a container that holds the same tree.
        try FileManager.default.createDirectory(atPath: directory.url("app"), withIntermediateDirectories: true)
        for _ in 0..<8 { if let (what, _) = try script.step(&random) { log.append("image: \(what)") } }
        var container = try InMemoryContainer.image(of: directory.url("app"))
        let image = container
        let ledger = try await SyncLedger.load(workload: "web", layout: ProjectLayout(root: directory.path))
        let planner = try LiveUpdatePlanner(rules: LiveUpdateSpec(sync: [SyncRule(from: "app", to: "/srv/app")]),
                                            target: LiveUpdateTarget(projectRoot: directory.path))

        func apply(_ batch: Set<String>) async throws {
            guard !batch.isEmpty else { return }
            let decision = planner.plan(changedFiles: batch.sorted().map { ChangedFile(path: $0) }, containerRunning: true)
            guard case .apply(let plan) = decision else { throw ScriptError("expected a plan, got \(decision)") }
            let changes = try HostSyncReader.changes(for: plan.paths)
            try await ledger.record(changes)
            log.append("apply batch of \(batch.count): \(changes.map { "\($0.operation)".prefix(60) }.joined(separator: "; "))")
            try container.apply(changes.map(\.operation))
        }

        try await script.runBatchedOneLate(steps: Int.random(in: 10...40, using: &random), random: &random,
                                           edited: { log.append($0) },
                                           apply: apply)

        let host = try HostTreeSnapshot.read(directory.url("app"))
        let synced = container.tree(at: "/srv/app")
        let differences = HostTreeSnapshot.differences(host: host, container: synced)
        #expect(differences.isEmpty, "seed \(seed): the container differs from the host:\n\(differences.joined(separator: "\n"))\nedits:\n\(log.joined(separator: "\n"))")

        var replaced = image
        let replay = ledger.replayPlan(restart: .none)
        try replaced.apply(try HostSyncReader.changes(for: replay.paths).map(\.operation))
        let replayDifferences = HostTreeSnapshot.differences(host: host, container: replaced.tree(at: "/srv/app"))
        #expect(replayDifferences.isEmpty, "seed \(seed): the ledger replayed into the image differs from the host:\n\(replayDifferences.joined(separator: "\n"))\nledger: \(ledger.entries.map { "\($0.containerPath) \($0.effectiveKind)\($0.replacesImage == true ? " replaces" : "")" })\nedits:\n\(log.joined(separator: "\n"))")
    }
}
