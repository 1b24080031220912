import Foundation
import Synchronization
import WBuildCore
import WBuildSpec
import WBuildSystem

/// Per workload, every path synced into its containers since its image was built (files with
/// their content digest, directories, links, and tombstones for paths gone when applied), kept in `.wbuild/live-update/<workload>.json`
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

    /// Records a batch's operations as they are applied: a digest per written file, the
    /// directories and links made, a tombstone per path that was gone from the host then
    /// (replacing whatever was recorded beneath it); then saves. A directory's entry keeps what
    /// is recorded beneath it: making a directory or setting its mode deletes nothing.
    public func record(_ changes: [SyncChange]) async throws(LiveUpdateError) {
        guard !changes.isEmpty else { return }
        do {
            try await BlockingWork.run(name: "wbuild-ledger-record") { [self] () throws in
                let recorded = changes.map(Self.entry)
                try entriesByPath.withLock { entries in
                    for entry in recorded { Self.replace(&entries, with: entry) }
                    try save(entries)
                }
            }
        } catch {
            throw LiveUpdateError(.ledgerFailed, "cannot record the live update in \(path)", cause: error)
        }
    }

    private static func entry(_ change: SyncChange) -> SyncLedgerEntry {
        let path = change.projectPath
        let levels = change.levelsBelowRule
        switch change.operation {
        case .writeFile(let target, let bytes, _):
            return SyncLedgerEntry(projectPath: path, containerPath: target, digest: SHA256.hash(bytes).hexString, kind: .file,
                                   levelsBelowRule: levels)
        case .makeDirectory(let target, _):
            return SyncLedgerEntry(projectPath: path, containerPath: target, digest: nil, kind: .directory, levelsBelowRule: levels)
        case .makeSymlink(let target, _):
            return SyncLedgerEntry(projectPath: path, containerPath: target, digest: nil, kind: .symlink, levelsBelowRule: levels)
        case .remove(let target):
            return SyncLedgerEntry(projectPath: path, containerPath: target, digest: nil, kind: .removed, levelsBelowRule: levels)
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
    /// recorded path, read from the host again when it is applied (so a tombstone removes only
    /// what is still gone, and a path recreated since is synced as it is now), then `restart`.
    public func replayPlan(restart: RestartPolicy) -> LiveUpdatePlan {
        let paths = entries.map {
            SyncPath(projectPath: $0.projectPath, hostPath: ProjectPath.join(projectRoot, $0.projectPath), containerPath: $0.containerPath,
                     levelsBelowRule: $0.levelsBelowRule, replacesImage: $0.replacesImage == true)
        }
        return LiveUpdatePlan(paths: paths, steps: [], restart: paths.isEmpty ? .none : restart)
    }

    /// Puts `entry` in. A tombstone, file or link replaces the whole subtree at its path, so the
    /// entries beneath it go; a directory keeps them. A directory recorded where a tombstone,
    /// file or link was (or one that already replaced the image's content) is marked
    /// `replacesImage`, so a replay clears what the image has there first.
    private static func replace(_ entries: inout [String: SyncLedgerEntry], with entry: SyncLedgerEntry) {
        var entry = entry
        if entry.effectiveKind == .directory, let previous = entries[entry.containerPath],
           previous.effectiveKind != .directory || previous.replacesImage == true {
            entry.replacesImage = true
        }
        if entry.effectiveKind != .directory {
            let prefix = entry.containerPath.hasSuffix("/") ? entry.containerPath : entry.containerPath + "/"
            for key in entries.keys where key.hasPrefix(prefix) { entries[key] = nil }
        }
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
