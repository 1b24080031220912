/// One settled burst of file-system changes under the watched root.
///
/// A consumer treats every path in `paths` as "look at this again" (it may have been
/// created, written, deleted, or be either end of a move) and re-scans every subtree in
/// `rescanNeeded` against its own stat cache, because events there may have been lost.
public struct ChangeBatch: Sendable, Equatable {
    /// Files and directories, relative to the root (no leading slash), that changed, were
    /// created, were deleted, or were either end of a move.
    public var paths: Set<String>
    /// Subtrees, relative to the root, whose events may have been lost; `""` is the whole
    /// tree (after an inotify queue overflow).
    public var rescanNeeded: Set<String>
    /// When the first event of this batch was read.
    public var firstEventAt: ContinuousClock.Instant
    /// When the batch was closed (settled or hit the hard cap).
    public var settledAt: ContinuousClock.Instant

    public init(paths: Set<String>, rescanNeeded: Set<String>,
                firstEventAt: ContinuousClock.Instant, settledAt: ContinuousClock.Instant) {
        self.paths = paths
        self.rescanNeeded = rescanNeeded
        self.firstEventAt = firstEventAt
        self.settledAt = settledAt
    }
}
