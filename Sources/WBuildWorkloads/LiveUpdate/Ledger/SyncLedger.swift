import Foundation
import Synchronization
import WBuildCore
import WBuildSpec
import WBuildSystem

/// Per workload, every file synced into its containers since its image was built (path →
/// content digest, deletes as tombstones), kept in `.wbuild/live-update/<workload>.json`
/// (written atomically after each change). A container that is restarted or replaced gets the
/// ledger replayed (`LiveUpdateExecutor.replay`) before it is marked ready, so host and container
/// never drift. `isEmpty` false means the image no longer matches the source: `once` must
/// rebuild it; `reset()` when a new image is built.
public final class SyncLedger: Sendable {
    public let workload: String
    /// Absolute path of the ledger file.
    public let path: String
    /// Absolute path of the project root (host paths are resolved against it on replay).
    public let projectRoot: String
    private let entriesByPath: Mutex<[String: SyncLedgerEntry]>

    /// Loads the workload's ledger (empty when it has none yet).
    public static func load(workload: String, layout: ProjectLayout) async throws(LiveUpdateError) -> SyncLedger {
        let path = layout.stateDirectory + "/live-update/\(workload).json"
        let entries: [SyncLedgerEntry]
        do {
            entries = try await BlockingWork.run(name: "wbuild-ledger-load") { () throws -> [SyncLedgerEntry] in
                guard let bytes = try AtomicFile.read(path) else { return [] }
                return try JSONDecoder().decode(SyncLedgerFile.self, from: Data(bytes)).entries
            }
        } catch {
            throw LiveUpdateError(.ledgerFailed, "cannot read the sync ledger \(path)", cause: error,
                                  hint: "delete the file: the next image build starts a new ledger")
        }
        return SyncLedger(workload: workload, path: path, projectRoot: layout.root, entries: entries)
    }

    private init(workload: String, path: String, projectRoot: String, entries: [SyncLedgerEntry]) {
        self.workload = workload
        self.path = path
        self.projectRoot = projectRoot
        entriesByPath = Mutex(Dictionary(entries.map { ($0.containerPath, $0) }, uniquingKeysWith: { $1 }))
    }

    /// True when nothing was synced since the image was built (the image still matches).
    public var isEmpty: Bool { entriesByPath.withLock { $0.isEmpty } }

    /// The entries, by container path.
    public var entries: [SyncLedgerEntry] {
        entriesByPath.withLock { $0.values.sorted { $0.containerPath < $1.containerPath } }
    }

    /// Records an applied plan: a digest per copied file (of its content now), a tombstone per
    /// deletion (replacing whatever was recorded beneath it), then saves.
    public func record(_ plan: LiveUpdatePlan) async throws(LiveUpdateError) {
        guard !plan.filesToCopy.isEmpty || !plan.pathsToDelete.isEmpty else { return }
        do {
            try await BlockingWork.run(name: "wbuild-ledger-record") { [self] () throws in
                var digests: [(FileCopy, String?)] = []
                for copy in plan.filesToCopy {
                    digests.append((copy, try HostFile.read(copy.hostPath).map { SHA256.hash($0.bytes).hexString }))
                }
                try entriesByPath.withLock { entries in
                    for deletion in plan.pathsToDelete {
                        Self.replace(&entries, with: SyncLedgerEntry(projectPath: deletion.projectPath,
                                                                      containerPath: deletion.containerPath, digest: nil))
                    }
                    for (copy, digest) in digests {
                        Self.replace(&entries, with: SyncLedgerEntry(projectPath: copy.projectPath,
                                                                      containerPath: copy.containerPath, digest: digest))
                    }
                    try save(entries)
                }
            }
        } catch {
            throw LiveUpdateError(.ledgerFailed, "cannot record the live update in \(path)", cause: error)
        }
    }

    /// Forgets everything: a new image was built from the current sources.
    public func reset() async throws(LiveUpdateError) {
        do {
            try await BlockingWork.run(name: "wbuild-ledger-reset") { [self] () throws in
                try entriesByPath.withLock { entries in
                    entries.removeAll()
                    try save(entries)
                }
            }
        } catch {
            throw LiveUpdateError(.ledgerFailed, "cannot reset the sync ledger \(path)", cause: error)
        }
    }

    /// The plan that brings a container made from the image up to date with the host: every
    /// tombstone deleted, every synced path copied again from its current host content (a file
    /// deleted on the host since is deleted, by the sync), then `restart`.
    public func replayPlan(restart: RestartPolicy) -> LiveUpdatePlan {
        let entries = self.entries
        let deletions = entries.filter(\.isTombstone).map { FileDeletion(projectPath: $0.projectPath, containerPath: $0.containerPath) }
        let copies = entries.filter { !$0.isTombstone }.map {
            FileCopy(projectPath: $0.projectPath, hostPath: ProjectPath.join(projectRoot, $0.projectPath), containerPath: $0.containerPath)
        }
        return LiveUpdatePlan(filesToCopy: copies, pathsToDelete: deletions, steps: [],
                              restart: copies.isEmpty && deletions.isEmpty ? .none : restart)
    }

    /// Puts `entry` in, dropping every entry beneath its path (a deleted or replaced directory).
    private static func replace(_ entries: inout [String: SyncLedgerEntry], with entry: SyncLedgerEntry) {
        let prefix = entry.containerPath.hasSuffix("/") ? entry.containerPath : entry.containerPath + "/"
        for key in entries.keys where key.hasPrefix(prefix) { entries[key] = nil }
        entries[entry.containerPath] = entry
    }

    private func save(_ entries: [String: SyncLedgerEntry]) throws {
        let file = SyncLedgerFile(workload: workload, entries: entries.values.sorted { $0.containerPath < $1.containerPath })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let bytes = try encoder.encode(file)
        try AtomicFile.makeDirectories(AtomicFile.parentDirectoryPath(of: path))
        try AtomicFile.write(Array(bytes), to: path)
    }
}
