import WBuildSystem

/// What to watch and how to batch it: the root, which paths to leave out, and the
/// settle window that turns a burst of events into one `ChangeBatch`.
public struct WatchOptions: Sendable {
    /// Absolute path of the directory tree to watch.
    public var root: String
    /// Whether a path (relative to `root`, no leading slash) is left out. A directory for
    /// which this returns `true` is pruned: never watched, never scanned, never polled.
    /// An ignored file is never reported.
    public var isIgnored: @Sendable (_ relativePath: String, _ isDirectory: Bool) -> Bool
    /// Quiet period that ends a batch: a batch is emitted once no event arrived for this long.
    public var settle: Duration
    /// Hard cap measured from a batch's first event: a batch is emitted by then even if
    /// events keep arriving.
    public var maxDelay: Duration
    /// How often subtrees that could not be watched (out of inotify watches) are stat-walked.
    public var pollInterval: Duration
    /// Fault injection for tests (`package` only): see `WatcherFaults`.
    package var faults: WatcherFaults

    public init(
        root: String,
        isIgnored: @escaping @Sendable (_ relativePath: String, _ isDirectory: Bool) -> Bool = { _, _ in false },
        settle: Duration = .milliseconds(30),
        maxDelay: Duration = .milliseconds(1000),
        pollInterval: Duration = .milliseconds(500)
    ) {
        self.root = root
        self.isIgnored = isIgnored
        self.settle = settle
        self.maxDelay = maxDelay
        self.pollInterval = pollInterval
        self.faults = WatcherFaults()
    }
}

/// Seams through which tests make the watcher believe a syscall failed.
package struct WatcherFaults: Sendable {
    /// Called with a directory's relative path before `inotify_add_watch`; a non-nil
    /// result is treated as that call's error (e.g. `.noSpace` to simulate running out of watches).
    package var addWatchError: (@Sendable (_ relativeDirectory: String) -> Errno?)?
    /// When set, `inotify_init1` is treated as failing with this error (e.g. `.tooManyOpenFiles`).
    package var initError: Errno?

    package init(addWatchError: (@Sendable (String) -> Errno?)? = nil, initError: Errno? = nil) {
        self.addWatchError = addWatchError
        self.initError = initError
    }
}
