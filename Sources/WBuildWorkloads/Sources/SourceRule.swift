import Synchronization
import WBuildCore
import WBuildFiles
import WBuildSystem

/// A `source:NAME` node: the files a task's inputs or an image's build context cover.
///
/// Its fingerprint is the tree hash of those files after ignore rules; it never runs anything.
/// The first evaluation walks the tree through a persisted stat cache (unchanged files are not
/// read); in `watch`, the loop tells it which paths changed (`noteChanges`) and it re-stats only
/// those. It reports which files changed, so consumers can say "inputs changed: web/src/app.js".
public final class SourceRule: NodeRule {
    public let sourceSet: SourceSet
    /// Prefix that turns a path relative to the source root into one relative to the project.
    let projectPrefix: String
    let cacheFile: StatCacheFile
    let snapshotFile: SnapshotFile

    private struct Live {
        var cache: StatCache?
        var snapshot: TreeSnapshot?
        /// Whether `snapshot` differs from what `snapshotFile` holds.
        var snapshotUnsaved = false
        /// The last evaluation, reused while the watcher reports nothing for this source.
        var lastEvaluation: Evaluation?
        var trustsWatcher = false
        /// Root-relative paths the watcher reported since the last evaluation; `""` means rescan all.
        var pending: Set<String> = []
    }
    private let live = Mutex(Live())

    /// - Parameters:
    ///   - projectPrefix: the source root relative to the project root ("" or "api/").
    ///   - cachePath: where its stat cache lives (`.wbuild/cache/…`); its file list goes beside it.
    public init(sourceSet: SourceSet, projectPrefix: String, cachePath: String) {
        self.sourceSet = sourceSet
        self.projectPrefix = projectPrefix
        self.cacheFile = StatCacheFile(path: cachePath)
        self.snapshotFile = SnapshotFile(path: cachePath + ".files")
    }

    /// Writes the file list if it changed since it was last written (called after a pass, and
    /// when `watch` stops), so the next process can name the files that changed in between.
    public func persist() {
        let unsaved = live.withLock { state -> TreeSnapshot? in
            guard state.snapshotUnsaved, let snapshot = state.snapshot else { return nil }
            state.snapshotUnsaved = false
            return snapshot
        }
        if let unsaved { try? snapshotFile.save(unsaved) }
    }

    /// Records paths (relative to the project root) that the watcher saw change. `""` asks
    /// for a full rescan (after a watcher overflow).
    public func noteChanges(_ projectPaths: some Sequence<String>) {
        let relative = projectPaths.compactMap { path -> String? in
            if path.isEmpty { return "" }
            if projectPrefix.isEmpty { return path }
            if path.hasPrefix(projectPrefix) { return String(path.dropFirst(projectPrefix.count)) }
            if projectPrefix.hasPrefix(path + "/") { return "" }  // an ancestor of the root changed
            return nil
        }
        live.withLock { $0.pending.formUnion(relative) }
    }

    /// Whether `projectPath` is the `.dockerignore` at this source's root (build contexts).
    public func isDockerignore(_ projectPath: String) -> Bool {
        projectPath == projectPrefix + ".dockerignore"
    }

    /// Whether a project-relative path could belong to this source (used to map watcher events).
    public func covers(_ projectPath: String) -> Bool {
        if projectPrefix.isEmpty { return sourceSet.contains(projectPath) || sourceSet.mayContain(directory: projectPath) }
        guard projectPath.hasPrefix(projectPrefix) else { return projectPrefix.hasPrefix(projectPath + "/") }
        let relative = String(projectPath.dropFirst(projectPrefix.count))
        return sourceSet.contains(relative) || sourceSet.mayContain(directory: relative)
    }

    public func evaluate(_ context: NodeContext) async throws(NodeFailure) -> Evaluation {
        // Watching: nothing reported since the last look means nothing changed (the watcher
        // reports every change, and a full rescan after an overflow).
        if trustsWatcher, let reused = live.withLock({ $0.pending.isEmpty ? $0.lastEvaluation : nil }) {
            return Evaluation(fingerprint: reused.fingerprint, coversFiles: true, payload: reused.payload)
        }
        var (cache, previous, pending) = live.withLock { state in
            let taken = (state.cache ?? cacheFile.load(), state.snapshot ?? snapshotFile.load(), state.pending)
            state.pending = []
            return taken
        }
        let before = cache
        let scanner = TreeScanner(sourceSet: sourceSet)
        let result: ScanResult
        do {
            if let previous, live.withLock({ $0.snapshot != nil }), !pending.contains("") {
                result = try await scanner.rescanInBackground(previous, changedPaths: Array(pending), cache: &cache)
            } else {
                result = try await scanner.scanInBackground(cache: &cache)
            }
        } catch {
            live.withLock { $0.pending.formUnion(pending) }
            throw NodeFailure("cannot read the files of \(context.id): \(error)",
                              hint: "check that the directory exists and is readable")
        }
        pending = []
        if let problem = result.problems.first {
            throw NodeFailure("cannot read \(projectPrefix)\(problem.relativePath): \(problem.error)",
                              tail: result.problems.dropFirst().prefix(10).map(\.description),
                              hint: "fix the file's permissions or add it to an ignore rule")
        }
        let changed = previous.map { result.snapshot.diff(from: $0).allPaths } ?? []
        live.withLock { state in
            state.cache = cache
            if previous?.treeHash != result.snapshot.treeHash {
                state.snapshotUnsaved = true
            }
            state.snapshot = result.snapshot
        }
        if cache != before {
            do {
                try cacheFile.save(cache)
            } catch {
                context.events.emit(.warning("could not save the stat cache \(cacheFile.path): \(error); the next run re-reads these files"))
            }
        }
        var builder = FingerprintBuilder(kind: "source")
        builder.add("tree", result.snapshot.treeHash.hexString)
        let evaluation = Evaluation(fingerprint: builder.finish(), changedPaths: changed.map { projectPrefix + $0 },
                                    coversFiles: true, payload: result.snapshot)
        live.withLock { $0.lastEvaluation = evaluation }
        return evaluation
    }

    /// Set by the watch loop once the watcher runs: from then on an evaluation with no
    /// reported changes reuses the last result instead of walking the tree.
    public var trustsWatcher: Bool {
        get { live.withLock { $0.trustsWatcher } }
        set { live.withLock { $0.trustsWatcher = newValue } }
    }

    public func checkOutput(_ record: NodeRecord, _ context: NodeContext) async -> OutputCheck { .present }

    public func run(_ context: NodeContext, _ evaluation: Evaluation) async throws(NodeFailure) -> NodeOutput {
        let snapshot = evaluation.payload as? TreeSnapshot
        return NodeOutput(hash: evaluation.fingerprint.hex,
                          fields: ["files": String(snapshot?.entries.count ?? 0)])
    }

    /// The snapshot from the last evaluation, if any (image contexts read their file list from it).
    public var currentSnapshot: TreeSnapshot? { live.withLock { $0.snapshot } }
}
