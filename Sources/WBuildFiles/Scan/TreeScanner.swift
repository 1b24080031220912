#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

/// Scans a source set into a `TreeSnapshot`: walks with `readdir`/`lstat`, prunes ignored
/// directories, and hashes only files the `StatCache` cannot vouch for, on `hashingThreads`
/// threads. Symlinks are recorded, never followed.
///
/// `scan` and `rescan` block: call them from a thread of your own, or use
/// `scanInBackground` / `rescanInBackground`, which run on a dedicated `Thread`.
public struct TreeScanner: Sendable {
    /// Tuning and seams for tests.
    public struct Options: Sendable {
        /// Threads that read and hash files on a cold scan (the calling thread included).
        public var hashingThreads: Int
        /// Threads that walk directories on a full scan (the calling thread included): with 2,
        /// the first directory with two or more subdirectories is walked half on a helper.
        public var walkingThreads: Int
        /// Read buffer per hashing thread.
        public var readBufferSize: Int
        /// A file whose mtime or ctime is within this window of the scan's start is
        /// racily clean: it is hashed but not cached, so the next scan reads it again.
        /// The kernel stamps files from a coarse clock (one tick, 1–10 ms), so 100 ms leaves a
        /// wide margin; a larger window only makes freshly written trees re-hash on every run.
        public var racyWindowNanoseconds: Int64
        /// Wall-clock time in ns since the epoch (injectable for tests).
        public var clock: @Sendable () -> Int64
        /// Bumped as files are examined and hashed, for a progress line while the scan runs.
        public var progress: ScanProgress?

        public init(hashingThreads: Int = 2, walkingThreads: Int = 2, readBufferSize: Int = 1 << 20,
                    racyWindowNanoseconds: Int64 = 100_000_000,
                    clock: @escaping @Sendable () -> Int64 = TreeScanner.realTimeNanoseconds) {
            self.hashingThreads = max(1, hashingThreads)
            self.walkingThreads = max(1, walkingThreads)
            self.readBufferSize = readBufferSize
            self.racyWindowNanoseconds = racyWindowNanoseconds
            self.clock = clock
        }
    }

    public var sourceSet: SourceSet
    public var options: Options

    public init(sourceSet: SourceSet, options: Options = Options()) {
        self.sourceSet = sourceSet
        self.options = options
    }

    /// `clock_gettime(CLOCK_REALTIME)` in nanoseconds: the clock file timestamps come from.
    public static func realTimeNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) &* 1_000_000_000 &+ Int64(now.tv_nsec)
    }

    /// Scans the whole source set. `cache` is consulted and updated in place: entries for
    /// files no longer present are dropped, freshly hashed (non-racy) files are added.
    /// Throws only when the root itself cannot be opened; unreadable files are `problems`.
    public func scan(cache: inout StatCache) throws(FilesError) -> ScanResult {
        let startedAt = options.clock()
        let rootFD = try openRoot()
        defer { close(rootFD) }
        var walker = DirectoryWalker(sourceSet: sourceSet, pipeline: makePipeline(rootFD: rootFD))
        // The cache's size is a good guess at the file count: no regrowth copies of the list.
        walker.files.reserveCapacity(cache.count + cache.count / 16)
        walker.spareThreads = options.walkingThreads - 1
        switch retryingInterrupts({ openat(rootFD, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) }) {
        case .success(let fd): walker.walk(directoryFD: fd, relativeDirectory: "", cache: cache)
        case .failure(let errno): throw rootError(errno)
        }
        var statistics = walker.statistics
        var problems = walker.problems
        var entries = TreeEntries(sorted: [FileEntry]())
        finish(&walker, startedAt: startedAt, cache: &cache, statistics: &statistics, problems: &problems) {
            entries.append($0)
        }
        // Forget files that are gone, so the cache does not grow without bound.
        cache.compact(keeping: entries)
        let snapshot = TreeSnapshot(entries: entries, hashSum: .computedInParallel(entries))
        return ScanResult(snapshot: snapshot, problems: problems, statistics: statistics)
    }

    /// Scans with a fresh cache (every file is read).
    public func scan() throws(FilesError) -> ScanResult {
        var cache = StatCache()
        return try scan(cache: &cache)
    }

    func openRoot() throws(FilesError) -> Int32 {
        switch retryingInterrupts({ open(sourceSet.root, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }) {
        case .success(let fd): return fd
        case .failure(let errno): throw rootError(errno)
        }
    }

    func rootError(_ errno: Errno) -> FilesError {
        FilesError(.scanRootUnavailable, "cannot scan source directory", path: sourceSet.root,
                   cause: SystemError("open", path: sourceSet.root, errno: errno),
                   hint: "check that the directory exists and is readable")
    }

    func makePipeline(rootFD: Int32) -> HashPipeline {
        HashPipeline(rootFD: rootFD, bufferSize: options.readBufferSize, threadCount: options.hashingThreads,
                     progress: options.progress)
    }

    /// Waits for the hashing the walk started, records fresh digests in the cache, and
    /// hands `emit` the entries in the walk's order. Takes the walker's file list, so it is
    /// freed on return while the caller's snapshot is built (100k walked files hold ~11 MB).
    func finish(_ walker: inout DirectoryWalker, startedAt: Int64, cache: inout StatCache,
                statistics: inout ScanStatistics, problems: inout [ScanProblem], emit: (FileEntry) -> Void) {
        let (jobs, outcomes) = walker.pipeline.finish()
        let segments = walker.takeFiles()
        for file in segments.joined() {
            if case .known(let digest) = file.content {
                emit(FileEntry(relativePath: file.relativePath, kind: file.kind, mode: file.mode,
                               size: file.size, digest: digest, hardLinkID: file.hardLinkID))
                continue
            }
            guard case .job(let jobIndex) = file.content, jobIndex < outcomes.count else { continue }
            switch outcomes[jobIndex] {
            case .hashed(let digest, let size, let after):
                statistics.filesHashed += 1
                statistics.bytesHashed += size
                emit(FileEntry(relativePath: file.relativePath, kind: .file, mode: file.mode,
                               size: size, digest: digest, hardLinkID: file.hardLinkID))
                if after == jobs[jobIndex].fingerprint, !after.isRacy(now: startedAt, window: options.racyWindowNanoseconds) {
                    cache[file.relativePath] = StatCache.Entry(fingerprint: after, digest: digest)
                } else {
                    cache.remove(file.relativePath)
                }
            case .vanished:
                cache.remove(file.relativePath)
            case .failed(let error):
                cache.remove(file.relativePath)
                problems.append(ScanProblem(relativePath: file.relativePath, error: error))
            }
        }
    }
}
