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
        /// Whether `cache` / `snapshot` differ from what is on disk (saved by `persist`).
        var cacheUnsaved = false
        var snapshotUnsaved = false
        /// Root-relative paths the watcher reported since the last evaluation; `""` means rescan all.
        var pending: Set<String> = []
        /// The last evaluation, reused while the watcher reports nothing for this source.
        var lastEvaluation: Evaluation?
        var trustsWatcher = false
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

    /// Writes the stat cache and the file list if they changed since they were last written.
    /// Called after `once`, and by `watch` when idle and when it stops — never on the path from
    /// a change to its rebuild (a 100k-file cache takes ~150 ms to encode).
    public func persist() {
        let (cache, snapshot) = live.withLock { state -> (StatCache?, TreeSnapshot?) in
            defer { state.cacheUnsaved = false; state.snapshotUnsaved = false }
            return (state.cacheUnsaved ? state.cache : nil, state.snapshotUnsaved ? state.snapshot : nil)
        }
        if let cache { try? cacheFile.save(cache) }
        if let snapshot { try? snapshotFile.save(snapshot) }
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
        // Move the cache out of the lock (not copy: a copy of 100k entries would be paid on the
        // first write), scan, and move it back.
        let (taken, inMemory, pending) = live.withLock { state in
            let taken = (state.cache.take(), state.snapshot, state.pending)
            state.pending = []
            return taken
        }
        var cache = taken ?? cacheFile.load()
        let entriesBefore = cache.count
        var scanner = TreeScanner(sourceSet: sourceSet)
        let reporter = ScanProgressReporter(meter: context.progressMeter())
        defer { reporter.stop() }
        scanner.options.progress = reporter.counters
        let result: ScanResult
        do {
            if let inMemory, !pending.contains("") {
                result = try await scanner.rescanInBackground(inMemory, changedPaths: Array(pending), cache: &cache)
            } else {
                result = try await scanner.scanInBackground(cache: &cache)
            }
        } catch {
            live.withLock { state in
                state.cache = cache
                state.pending.formUnion(pending)
            }
            throw NodeFailure("cannot read the files of \(context.id): \(error)",
                              hint: "check that the directory exists and is readable")
        }
        var builder = FingerprintBuilder(kind: "source")
        builder.add("tree", result.snapshot.treeHash.hexString)
        let fingerprint = builder.finish()
        let cacheChanged = result.statistics.filesHashed > 0 || cache.count != entriesBefore
        // Without a list in memory, the record says whether the tree moved (a no-op `once` then
        // writes no 5 MB file list).
        let treeChanged = inMemory.map { $0.treeHash != result.snapshot.treeHash } ?? (fingerprint != context.previous?.fingerprint)
        live.withLock { state in
            state.cache = cache
            state.cacheUnsaved = state.cacheUnsaved || cacheChanged
            state.snapshotUnsaved = state.snapshotUnsaved || treeChanged
            state.snapshot = result.snapshot
        }
        if let problem = result.problems.first {
            throw NodeFailure("cannot read \(projectPrefix)\(problem.relativePath): \(problem.error)",
                              tail: result.problems.dropFirst().prefix(10).map(\.description),
                              hint: "fix the file's permissions or add it to an ignore rule")
        }
        let changed: [String]
        if fingerprint == context.previous?.fingerprint {
            changed = []
        } else if let inMemory, !pending.contains("") {
            changed = Self.changes(at: pending, from: inMemory, to: result.snapshot)
        } else {
            // First look in this process: name the files against the list the last run saved.
            changed = (inMemory ?? snapshotFile.load()).map { result.snapshot.diff(from: $0).allPaths } ?? []
        }
        let evaluation = Evaluation(fingerprint: fingerprint, changedPaths: changed.map { projectPrefix + $0 },
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

    /// The files that differ between `old` and `new` among the reported `paths`, found by lookup
    /// rather than a walk of both lists; a path that is a directory (no entry in either) falls
    /// back to a full diff, which only renames and removals of directories need.
    static func changes(at paths: Set<String>, from old: TreeSnapshot, to new: TreeSnapshot) -> [String] {
        var changed: [String] = []
        for path in paths.sorted() {
            let before = old[path], after = new[path]
            if before == nil && after == nil { return new.diff(from: old).allPaths }
            if before != after { changed.append(path) }
        }
        return changed
    }

    public func run(_ context: NodeContext, _ evaluation: Evaluation) async throws(NodeFailure) -> NodeOutput {
        let snapshot = evaluation.payload as? TreeSnapshot
        return NodeOutput(hash: evaluation.fingerprint.hex,
                          fields: ["files": String(snapshot?.entries.count ?? 0)])
    }

    /// After a watcher overflow: the files (project-relative) that differ now from the last
    /// evaluation, found by a scan through a copy of the stat cache; the source's own state is
    /// left as it is (its next evaluation still rescans). Nil before a first evaluation or when
    /// the tree cannot be read.
    public func changesSinceLastEvaluation() async -> [String]? {
        let (snapshot, cached) = live.withLock { ($0.snapshot, $0.cache) }
        guard let snapshot else { return nil }
        var cache = cached ?? StatCache()
        guard let result = try? await TreeScanner(sourceSet: sourceSet).scanInBackground(cache: &cache) else { return nil }
        return result.snapshot.diff(from: snapshot).allPaths.map { projectPrefix + $0 }
    }

    /// The snapshot from the last evaluation, if any (image contexts read their file list from it).
    public var currentSnapshot: TreeSnapshot? { live.withLock { $0.snapshot } }
}
