#if canImport(Glibc)
import Glibc
#endif
import WBuildPatterns
import WBuildSystem

extension TreeScanner {
    /// Brings `snapshot` up to date for `changedPaths` only (relative paths, e.g. from the
    /// watcher), without walking the rest of the tree: each path is `lstat`ed again; a file
    /// is re-hashed (through the cache), a directory is walked, a missing path is dropped
    /// with everything beneath it. Paths may also be absolute under `sourceSet.root`.
    /// A path of `""` or `"."`, or one outside the root, means "everything": a full scan.
    public func rescan(_ snapshot: TreeSnapshot, changedPaths: some Sequence<String>,
                       cache: inout StatCache) throws(FilesError) -> ScanResult {
        let roots = Self.outermostPaths(changedPaths.map(relativeToRoot))
        // A burst as big as the tree (a branch switch) is cheaper as one walk with the cache.
        if roots.contains("") || roots.count > max(256, snapshot.entries.count / 8) { return try scan(cache: &cache) }
        let startedAt = options.clock()
        let rootFD = try openRoot()
        defer { close(rootFD) }
        var walker = DirectoryWalker(sourceSet: sourceSet, pipeline: makePipeline(rootFD: rootFD))
        var parents = ParentDirectories(rootFD: rootFD)
        defer { parents.close() }
        for path in roots where sourceSet.purpose == .dockerContext || admitsAncestors(of: path) {
            revisit(path, parents: &parents, walker: &walker, cache: cache)
        }
        var statistics = walker.statistics
        var problems = walker.problems
        var fresh: [FileEntry] = []
        finish(&walker, startedAt: startedAt, cache: &cache, statistics: &statistics, problems: &problems) {
            fresh.append($0)
        }
        fresh.sort { PathOrder.precedes($0.relativePath, $1.relativePath) }

        let (entries, hashSum) = Self.splice(fresh, into: snapshot, at: roots, cache: &cache)
        return ScanResult(snapshot: TreeSnapshot(entries: entries, hashSum: hashSum),
                          problems: problems, statistics: statistics)
    }

    /// Replaces what `snapshot` had at or beneath each of `roots` with the `fresh` entries
    /// found there (sorted), updating the tree-hash sum and forgetting cache entries of files
    /// that are gone. Costs O(k log n) plus copies of the chunks touched (see `TreeEntries`).
    static func splice(_ fresh: [FileEntry], into snapshot: TreeSnapshot, at roots: [String],
                       cache: inout StatCache) -> (TreeEntries, TreeHashSum) {
        let old = snapshot.entries
        var hashSum = snapshot.hashSum
        // Each root owns two ranges of the sorted entries: the path itself, and its subtree
        // ("path/…", which sorts between "path/" and "path0"; '0' follows '/'). Names like
        // "path-x" can sort between the two, so they are separate ranges.
        var replacements: [(old: Range<Int>, fresh: Range<Int>)] = []
        replacements.reserveCapacity(roots.count * 2)
        for root in roots {
            let exactStart = snapshot.lowerBound(root)
            let exactEnd = exactStart < old.count && old[exactStart].relativePath == root ? exactStart + 1 : exactStart
            let freshExactStart = lowerBound(root, in: fresh)
            let freshExactEnd = freshExactStart < fresh.count && fresh[freshExactStart].relativePath == root
                ? freshExactStart + 1 : freshExactStart
            replacements.append((exactStart..<exactEnd, freshExactStart..<freshExactEnd))
            let subtreeStart = snapshot.lowerBound(root + "/"), subtreeEnd = max(subtreeStart, snapshot.lowerBound(root + "0"))
            let freshSubtreeStart = lowerBound(root + "/", in: fresh)
            let freshSubtreeEnd = max(freshSubtreeStart, lowerBound(root + "0", in: fresh))
            replacements.append((subtreeStart..<subtreeEnd, freshSubtreeStart..<freshSubtreeEnd))
        }
        // Apply from the back, so earlier indices stay valid (the ranges do not overlap:
        // outermost roots are never nested). Among ranges starting at the same index, the
        // non-empty one goes first (an insertion there sorts before it), and insertions go
        // in reverse order of their entries, so each lands before the one applied before it.
        replacements.sort {
            ($0.old.lowerBound, $0.old.upperBound, $0.fresh.lowerBound) > ($1.old.lowerBound, $1.old.upperBound, $1.fresh.lowerBound)
        }
        var entries = old
        for replacement in replacements {
            let incoming = fresh[replacement.fresh]
            for entry in old[replacement.old] {
                hashSum.remove(entry)
                let next = lowerBound(entry.relativePath, in: fresh)
                if next == fresh.count || fresh[next].relativePath != entry.relativePath { cache.remove(entry.relativePath) }
            }
            for entry in incoming { hashSum.add(entry) }
            entries.replaceSubrange(replacement.old, with: incoming)
        }
        return (entries, hashSum)
    }

    /// Index of the first of `sorted` whose path is not before `path`.
    private static func lowerBound(_ path: String, in sorted: [FileEntry]) -> Int {
        withBytes(path) { target in
            var low = 0, high = sorted.count
            while low < high {
                let middle = (low + high) / 2
                let order = withBytes(sorted[middle].relativePath) { PathOrder.compare($0, target) }
                if order < 0 { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    /// Looks at one changed path again, feeding the walker.
    private func revisit(_ path: String, parents: inout ParentDirectories, walker: inout DirectoryWalker, cache: StatCache) {
        let parent = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        let name = String(SourceSet.lastComponent(path))
        guard let parentFD = parents.open(parent) else { return }
        guard case .success(let status) = name.withCString({ FileSystemCalls.status(in: parentFD, $0) }) else { return }
        if sourceSet.purpose == .dockerContext {
            guard status.isDirectory || status.isRegularFile || status.isSymbolicLink else { return }
            switch sourceSet.contextVerdict(ofPath: path, isDirectory: status.isDirectory) {
            case .skipped:
                return
            case .sent(let match) where status.isDirectory:
                walker.visitDirectory(in: parentFD, name: name, relativePath: path, recorded: true, cache: cache, match: match)
            case .walkedOnly(let match):
                walker.visitDirectory(in: parentFD, name: name, relativePath: path, recorded: false, cache: cache, match: match)
            case .sent:
                walker.visitFile(in: parentFD, name: name, relativePath: path, cache: cache)
            }
            return
        }
        if status.isDirectory {
            guard sourceSet.mayContain(directory: path) else { return }
            switch name.withCString({ FileSystemCalls.openDirectory(in: parentFD, $0) }) {
            case .success(let fd): walker.walk(directoryFD: fd, relativeDirectory: path, cache: cache)
            case .failure(let errno) where errno == .noSuchFile || errno == .notDirectory || errno.rawValue == ELOOP: return
            case .failure(let errno):
                walker.problems.append(ScanProblem(relativePath: path, error: SystemError("open", path: path, errno: errno)))
            }
        } else if status.isRegularFile || status.isSymbolicLink {
            guard sourceSet.contains(path) else { return }
            walker.visitFile(in: parentFD, name: name, relativePath: path, cache: cache)
        }
    }

    /// Whether every directory above `path` is one the source set walks into.
    private func admitsAncestors(of path: String) -> Bool {
        var prefix = ""
        let components = path.split(separator: "/")
        for component in components.dropLast() {
            prefix += prefix.isEmpty ? String(component) : "/" + component
            if !sourceSet.mayContain(directory: prefix) { return false }
        }
        return true
    }

    /// `path` relative to the root when it is an absolute path inside it; otherwise unchanged.
    private func relativeToRoot(_ path: String) -> String {
        guard path.hasPrefix("/") else { return path }
        let root = PathCleaning.clean(sourceSet.root)
        let cleaned = PathCleaning.clean(path)
        if cleaned == root { return "." }
        let prefix = root == "/" ? "/" : root + "/"
        return cleaned.hasPrefix(prefix) ? String(cleaned.dropFirst(prefix.count)) : ".."
    }

    /// Cleans the paths and keeps only those not beneath another one; `""` stands for the root.
    static func outermostPaths(_ paths: some Sequence<String>) -> [String] {
        var cleaned = Set<String>()
        for path in paths {
            var clean = PathCleaning.clean(path)
            while clean.hasPrefix("/") { clean.removeFirst() }
            if clean == "." || clean.isEmpty || clean.hasPrefix("..") { return [""] }
            cleaned.insert(clean)
        }
        // A path is covered when one of its ancestors was reported too: O(depth) lookups each.
        return cleaned.filter { path in
            var ancestor = Substring(path)
            while let slash = ancestor.lastIndex(of: "/") {
                ancestor = ancestor[..<slash]
                if cleaned.contains(String(ancestor)) { return false }
            }
            return true
        }.sorted(by: PathOrder.precedes)
    }
}

/// Keeps the most recently opened parent directory open, so sibling paths in a burst
/// (sorted, so siblings are adjacent) share one component-by-component open.
private struct ParentDirectories {
    let rootFD: Int32
    private var path: String?
    private var fd: Int32 = -1

    init(rootFD: Int32) { self.rootFD = rootFD }

    /// The descriptor for `relativePath`, or nil when it is gone or not a real directory.
    mutating func open(_ relativePath: String) -> Int32? {
        if path == relativePath { return fd >= 0 ? fd : nil }
        close()
        path = relativePath
        if case .success(let opened) = FileSystemCalls.openDirectoryPath(relativePath, from: rootFD) { fd = opened }
        return fd >= 0 ? fd : nil
    }

    mutating func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
        path = nil
    }
}
