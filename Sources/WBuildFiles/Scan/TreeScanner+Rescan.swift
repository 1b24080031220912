#if canImport(Glibc)
import Glibc
#endif
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
        for path in roots where admitsAncestors(of: path) {
            revisit(path, parents: &parents, walker: &walker, cache: cache)
        }
        var statistics = walker.statistics
        var problems = walker.problems
        var fresh = finish(walker, startedAt: startedAt, cache: &cache, statistics: &statistics, problems: &problems)
        fresh.sort { PathOrder.precedes($0.relativePath, $1.relativePath) }

        // Drop what was at or beneath each revisited path, then merge in what is there now.
        var dropped = [Bool](repeating: false, count: snapshot.entries.count)
        for path in roots {
            let exact = snapshot.lowerBound(path)
            if exact < snapshot.entries.count, snapshot.entries[exact].relativePath == path { dropped[exact] = true }
            // Entries beneath `path` sort between "path/" and "path0" ('0' follows '/').
            let first = snapshot.lowerBound(path + "/"), end = snapshot.lowerBound(path + "0")
            for index in first..<max(first, end) { dropped[index] = true }
        }
        let freshPaths = Set(fresh.map(\.relativePath))
        for (index, entry) in snapshot.entries.enumerated() where dropped[index] && !freshPaths.contains(entry.relativePath) {
            cache.remove(entry.relativePath)
        }
        var merged: [FileEntry] = []
        merged.reserveCapacity(snapshot.entries.count + fresh.count)
        var freshIndex = 0
        for (index, entry) in snapshot.entries.enumerated() where !dropped[index] {
            while freshIndex < fresh.count, PathOrder.precedes(fresh[freshIndex].relativePath, entry.relativePath) {
                merged.append(fresh[freshIndex])
                freshIndex += 1
            }
            merged.append(entry)
        }
        merged.append(contentsOf: fresh[freshIndex...])
        return ScanResult(snapshot: TreeSnapshot(sortedEntries: merged), problems: problems, statistics: statistics)
    }

    /// Looks at one changed path again, feeding the walker.
    private func revisit(_ path: String, parents: inout ParentDirectories, walker: inout DirectoryWalker, cache: StatCache) {
        let parent = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        let name = String(SourceSet.lastComponent(path))
        guard let parentFD = parents.open(parent) else { return }
        guard case .success(let status) = name.withCString({ FileSystemCalls.status(in: parentFD, $0) }) else { return }
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
        var outermost: [String] = []
        for path in cleaned.sorted(by: PathOrder.precedes) {
            let covered = outermost.contains { path.hasPrefix($0 + "/") }
            if !covered { outermost.append(path) }
        }
        return outermost
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
