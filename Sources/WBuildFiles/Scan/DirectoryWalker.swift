#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

/// A file or symlink the walk found in the source set (kept small: 100k of them are alive
/// until the walk ends).
struct WalkedFile {
    /// Where its digest comes from.
    enum Content {
        /// From the stat cache, or a symlink's target.
        case known(FileDigest)
        /// Not cached: the index of its job in the hash pipeline.
        case job(Int)
    }

    var relativePath: String
    var kind: FileKind
    var mode: UInt32
    var size: UInt64
    var content: Content
    var hardLinkID: UInt64 = 0
}

/// Walks directories with `readdir` + `fstatat` (never following symlinks), keeping
/// only what the source set contains, answering digests from the stat cache where the
/// fingerprint still matches, and handing the rest to the hash pipeline as it goes.
/// Files come out in path order within each walked directory. A build context's walk also
/// records the directories it sends (before their contents) and hands each directory's
/// `ContextMatch` to its children, as the docker CLI does.
struct DirectoryWalker {
    let sourceSet: SourceSet
    let pipeline: HashPipeline
    /// Files found since the last segment was closed, in walk order.
    var files: [WalkedFile] = []
    /// Earlier files, in walk order: a split walk keeps each thread's list as it was found
    /// instead of copying them together (that copy was 5 MB of peak memory at 100k files).
    var finishedSegments: [[WalkedFile]] = []
    var problems: [ScanProblem] = []
    var statistics = ScanStatistics()
    /// Where the next stat-cache lookup starts: the walk goes in path order, as the cache does.
    private var cacheHint = 0
    /// Helper threads the walk may still start: the first directory with two or more
    /// subdirectories hands the second half of its children to one (`walkSplitting`).
    var spareThreads = 0

    init(sourceSet: SourceSet, pipeline: HashPipeline) {
        self.sourceSet = sourceSet
        self.pipeline = pipeline
    }

    struct Child: Sendable {
        var name: String
        var isDirectory: Bool

        /// Path order of siblings: a directory sorts as if its name ended in `/`, so the
        /// walk emits whole relative paths in byte order.
        static func precedes(_ lhs: Child, _ rhs: Child) -> Bool {
            withBytes(lhs.name) { left in
                withBytes(rhs.name) { right in
                    let common = min(left.count, right.count)
                    for index in 0..<common where left[index] != right[index] { return left[index] < right[index] }
                    let nextLeft = left.count > common ? Int(left[common]) : (lhs.isDirectory ? 0x2F : -1)
                    let nextRight = right.count > common ? Int(right[common]) : (rhs.isDirectory ? 0x2F : -1)
                    return nextLeft < nextRight
                }
            }
        }
    }

    /// Walks the directory open at `directoryFD` (taking ownership of it), whose path
    /// relative to the root is `relativeDirectory` (`""` for the root).
    mutating func walk(directoryFD: Int32, relativeDirectory: String, cache: StatCache, match: ContextMatch = .root) {
        guard let stream = fdopendir(directoryFD) else {
            let errno = Errno.current
            close(directoryFD)
            problems.append(ScanProblem(relativePath: relativeDirectory, error: SystemError("fdopendir", path: relativeDirectory, errno: errno)))
            return
        }
        defer { closedir(stream) }
        statistics.directoriesRead += 1
        var children: [Child] = []
        while let entry = readdir(stream) {
            let decoded = withUnsafeBytes(of: &entry.pointee.d_name) { raw -> String? in
                let bytes = raw.bindMemory(to: UInt8.self)
                return String(validating: bytes[0..<(bytes.firstIndex(of: 0) ?? bytes.count)], as: UTF8.self)
            }
            guard let name = decoded else {
                // Paths are Strings throughout (globs, JSON, the tree hash): say so rather than drop it silently.
                problems.append(ScanProblem(relativePath: relativeDirectory,
                                            error: SystemError("readdir", path: relativeDirectory, errno: Errno(rawValue: EILSEQ),
                                                               hint: "a name in this directory is not valid UTF-8; rename it")))
                continue
            }
            if name == "." || name == ".." { continue }
            var type = entry.pointee.d_type
            if type == UInt8(DT_UNKNOWN) {
                guard case .success(let status) = name.withCString({ FileSystemCalls.status(in: directoryFD, $0) }) else { continue }
                type = status.isDirectory ? UInt8(DT_DIR) : status.isSymbolicLink ? UInt8(DT_LNK) : status.isRegularFile ? UInt8(DT_REG) : 0
            }
            guard type == UInt8(DT_DIR) || type == UInt8(DT_REG) || type == UInt8(DT_LNK) else { continue }
            children.append(Child(name: name, isDirectory: type == UInt8(DT_DIR)))
        }
        children.sort(by: Child.precedes)
        let prefix = relativeDirectory.isEmpty ? "" : relativeDirectory + "/"
        if spareThreads > 0, let split = Self.splitPoint(children, walked: { [sourceSet] child in
            if sourceSet.purpose == .dockerContext {
                return sourceSet.contextVerdict(prefix + child.name, name: child.name, isDirectory: true, parent: match) != .skipped
            }
            return sourceSet.mayContain(directory: prefix + child.name, ancestorsChecked: true)
        }) {
            spareThreads -= 1
            visitSplitting(children, at: split, in: directoryFD, prefix: prefix, cache: cache, match: match)
        } else {
            visit(children[...], in: directoryFD, prefix: prefix, cache: cache, match: match)
        }
    }

    /// Every file found, in walk order, as segments; leaves the walker without files.
    mutating func takeFiles() -> [[WalkedFile]] {
        var segments = finishedSegments
        segments.append(files)
        finishedSegments = []
        files = []
        return segments
    }

    /// Visits `children` of the directory open at `directoryFD` (whose match is `match`), in order.
    mutating func visit(_ children: ArraySlice<Child>, in directoryFD: Int32, prefix: String, cache: StatCache,
                        match: ContextMatch = .root) {
        let isContext = sourceSet.purpose == .dockerContext
        for child in children {
            let relativePath = prefix + child.name
            if child.isDirectory {
                var childMatch = ContextMatch.root, recorded = false
                if isContext {
                    switch sourceSet.contextVerdict(relativePath, name: child.name, isDirectory: true, parent: match) {
                    case .skipped: continue
                    case .sent(let next): childMatch = next; recorded = true
                    case .walkedOnly(let next): childMatch = next
                    }
                } else {
                    guard sourceSet.mayContain(directory: relativePath, ancestorsChecked: true) else { continue }
                }
                visitDirectory(in: directoryFD, name: child.name, relativePath: relativePath, recorded: recorded,
                               cache: cache, match: childMatch)
            } else {
                let admitted: Bool
                if isContext {
                    admitted = sourceSet.contextVerdict(relativePath, name: child.name, isDirectory: false, parent: match) != .skipped
                } else {
                    admitted = withBytes(relativePath) {
                        sourceSet.contains(bytes: $0, name: child.name, ancestorsChecked: true)
                    }
                }
                guard admitted else { continue }
                visitFile(in: directoryFD, name: child.name, relativePath: relativePath, cache: cache)
            }
        }
    }

    /// Examines one non-directory entry: `lstat`, then the cache, or the link target.
    mutating func visitFile(in directoryFD: Int32, name: String, relativePath: String, cache: StatCache) {
        let status: stat
        switch name.withCString({ FileSystemCalls.status(in: directoryFD, $0) }) {
        case .success(let value): status = value
        case .failure(let errno) where errno == .noSuchFile: return
        case .failure(let errno):
            problems.append(ScanProblem(relativePath: relativePath, error: SystemError("lstat", path: relativePath, errno: errno)))
            return
        }
        statistics.filesExamined += 1
        pipeline.progress?.examinedFile()
        let fingerprint = StatFingerprint(status)
        if status.isRegularFile {
            let content: WalkedFile.Content
            if let cached = cache.digest(for: relativePath, matching: fingerprint, hint: &cacheHint) {
                statistics.cacheHits += 1
                content = .known(cached)
            } else {
                content = .job(pipeline.add(HashJob(relativePath: relativePath, fingerprint: fingerprint)))
            }
            files.append(WalkedFile(relativePath: relativePath, kind: .file, mode: UInt32(status.st_mode) & 0o7777,
                                    size: fingerprint.size, content: content,
                                    hardLinkID: status.st_nlink > 1 ? Self.hardLinkID(status) : 0))
        } else if status.isSymbolicLink {
            switch name.withCString({ FileSystemCalls.readLink(in: directoryFD, $0, sizeHint: Int(clamping: status.st_size)) }) {
            case .success(let target):
                files.append(WalkedFile(relativePath: relativePath, kind: .symlink, mode: 0o777,
                                        size: UInt64(target.count), content: .known(FileDigest.of(target))))
            case .failure(let errno) where errno == .noSuchFile || errno.rawValue == EINVAL:
                return
            case .failure(let errno):
                problems.append(ScanProblem(relativePath: relativePath, error: SystemError("readlink", path: relativePath, errno: errno)))
            }
        }
    }
}
