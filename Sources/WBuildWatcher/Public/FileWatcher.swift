#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import WBuildSystem

/// Watches a directory tree recursively with inotify and delivers settled batches of
/// changed paths: the start of wbuild's change path (inotify → settle window → graph).
///
/// A dedicated thread blocks in `poll()` on the inotify descriptor and a wake-up pipe; it
/// owns all watcher state, runs the settle-window timer through its poll timeout, and
/// yields into `batches` and `warnings`. Each stream has a single consumer; both buffer
/// without bound, so a consumer that falls behind costs memory, never events.
///
/// What gets reported, and how edge cases are resolved:
/// - One watch per directory; directories `isIgnored` prunes are never watched.
/// - A new directory is watched first and listed second, and everything found in it is
///   reported, so files written before the watch landed are not missed.
/// - A directory renamed inside the tree keeps its watches (descendants re-keyed); every
///   entry under it is reported at both its old and new path. One moved in is watched and
///   scanned; one moved out (no `IN_MOVED_TO` within a few milliseconds) loses its watches
///   and lands in `rescanNeeded`, since its files left without events of their own.
/// - `IN_Q_OVERFLOW` puts `""` in `rescanNeeded` and rebuilds the watch table from a walk.
/// - Out of watches (`ENOSPC`) or instances (`EMFILE`), the affected subtree (or the whole
///   tree) is stat-walked every `pollInterval` and a `WatchWarning` names the sysctl.
/// - `isIgnored` runs on the reader thread: keep it fast, and never call `stop()` from it.
///
/// ```swift
/// let watcher = try await FileWatcher.start(WatchOptions(root: "/src/app"))
/// defer { watcher.stop() }
/// for await batch in watcher.batches { … }
/// ```
public final class FileWatcher: Sendable {
    /// Settled batches of changes, in order. Finishes after `stop()`.
    public let batches: AsyncStream<ChangeBatch>
    /// Degradations worked around (e.g. out of watches → polling a subtree). Finishes after `stop()`.
    public let warnings: AsyncStream<WatchWarning>

    private let control: WatcherControl
    private let wake: WakePipe
    private let thread: ReaderThread
    /// Whether `stop()` has run; held while stopping so concurrent callers wait for it.
    private let stopped = Mutex(false)
    /// The reader thread's name, e.g. `wbwatch-7`; visible in /proc/self/task/*/comm.
    package let threadName: String
    /// The descriptors this watcher owns, for tests proving `stop()` closes them.
    package let descriptors: [Int32]

    private static let instanceCounter = Atomic<Int>(0)

    private init(batches: AsyncStream<ChangeBatch>, warnings: AsyncStream<WatchWarning>, control: WatcherControl,
                 wake: WakePipe, thread: ReaderThread, threadName: String, descriptors: [Int32]) {
        self.batches = batches
        self.warnings = warnings
        self.control = control
        self.wake = wake
        self.thread = thread
        self.threadName = threadName
        self.descriptors = descriptors
    }

    /// Starts watching `options.root`. Returns once every directory of the tree is watched
    /// (the initial walk runs on the watcher's own thread, not on the caller's), so any
    /// change made after `start` returns is reported.
    ///
    /// Running out of inotify instances (`EMFILE`) does not fail: the tree is polled and a
    /// warning says which sysctl to raise.
    public static func start(_ options: WatchOptions) async throws(WatchError) -> FileWatcher {
        guard options.root.hasPrefix("/") else {
            throw WatchError(code: .rootNotAbsolute, root: options.root, hint: "pass an absolute path")
        }
        let wake: WakePipe
        switch WakePipe.make() {
        case .success(let pipe): wake = pipe
        case .failure(let errno):
            throw WatchError(code: .wakePipeFailed, root: options.root, cause: SystemError("pipe2", errno: errno),
                             hint: "the process may be out of file descriptors; raise `ulimit -n`")
        }
        let (batches, batchSink) = AsyncStream.makeStream(of: ChangeBatch.self, bufferingPolicy: .unbounded)
        let (warnings, warningSink) = AsyncStream.makeStream(of: WatchWarning.self, bufferingPolicy: .unbounded)
        let control = WatcherControl()
        let number = instanceCounter.wrappingAdd(1, ordering: .relaxed).newValue
        let threadName = "wbwatch-\(number % 10_000)"  // at most 15 bytes: the kernel's limit

        let launchedThread = ThreadSlot()
        let started: Result<Int32?, WatchError> = await withCheckedContinuation { continuation in
            let launched = ReaderThread.launch(name: threadName) {
                runReader(options: options, wake: wake, control: control, batchSink: batchSink,
                          warningSink: warningSink, ready: { continuation.resume(returning: $0) })
            }
            switch launched {
            case .success(let thread):
                launchedThread.store(thread)
            case .failure(let errno):
                continuation.resume(returning: .failure(WatchError(
                    code: .threadFailed, root: options.root, cause: SystemError("pthread_create", errno: errno),
                    hint: "the process may be out of threads or memory")))
            }
        }
        // The body above ran to completion before this task resumed, so a launched thread is stored.
        let thread = launchedThread.take()
        switch (started, thread) {
        case (.success(let inotifyDescriptor), .some(let thread)):
            let descriptors = [wake.readEnd, wake.writeEnd] + (inotifyDescriptor.map { [$0] } ?? [])
            return FileWatcher(batches: batches, warnings: warnings, control: control, wake: wake,
                               thread: thread, threadName: threadName, descriptors: descriptors)
        case (.failure(let error), _):
            // The reader has closed its own inotify descriptor and is returning.
            thread?.join()
            wake.close()
            throw error
        case (.success, .none):
            // Not reachable: a reader that reported success was launched and stored.
            wake.close()
            throw WatchError(code: .threadFailed, root: options.root, hint: "report this as a bug in wbuild")
        }
    }

    /// Runs `body` with a started watcher and stops the watcher when `body` returns or throws.
    public static func withWatcher<Value>(
        _ options: WatchOptions,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (FileWatcher) async throws -> Value
    ) async throws -> Value {
        let watcher = try await start(options)
        defer { watcher.stop() }
        return try await body(watcher)
    }

    /// Stops watching: wakes the reader thread, waits for it to exit, closes every
    /// descriptor, emits the batch still settling, and finishes both streams. Idempotent and
    /// safe to call from any thread; blocks only for as long as the reader takes to notice.
    public func stop() {
        stopped.withLock { isStopped in
            guard !isStopped else { return }
            isStopped = true
            control.requestStop()
            wake.wake()
            thread.join()
            wake.close()
        }
    }

    /// Makes the reader handle a synthetic `IN_Q_OVERFLOW`, as if the kernel had dropped events.
    package func injectOverflow() {
        stopped.withLock { isStopped in
            guard !isStopped else { return }
            control.requestOverflow()
            wake.wake()
        }
    }

    deinit {
        // A safety net only: owners call `stop()` (the reader holds no reference to us, so
        // without it the thread would otherwise run until the process exits).
        stop()
    }
}
