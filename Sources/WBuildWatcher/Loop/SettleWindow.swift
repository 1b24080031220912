/// Coalesces changes into batches: a batch closes `settle` after its last change or
/// `maxDelay` after its first, whichever comes first. A pure value driven by the reader
/// thread's clock readings, so it is tested without sleeping.
struct SettleWindow {
    let settle: Duration
    let maxDelay: Duration

    private var paths: Set<String> = []
    private var rescanNeeded: Set<String> = []
    private var firstChangeAt: ContinuousClock.Instant?
    private var lastChangeAt: ContinuousClock.Instant?

    init(settle: Duration, maxDelay: Duration) {
        self.settle = settle
        self.maxDelay = maxDelay
    }

    var isEmpty: Bool { firstChangeAt == nil }

    mutating func record(_ path: String, at now: ContinuousClock.Instant) {
        paths.insert(path)
        touch(now)
    }

    mutating func recordRescan(_ subtree: String, at now: ContinuousClock.Instant) {
        rescanNeeded.insert(subtree)
        touch(now)
    }

    private mutating func touch(_ now: ContinuousClock.Instant) {
        if firstChangeAt == nil { firstChangeAt = now }
        lastChangeAt = now
    }

    /// When the open batch is due, or nil when there is none.
    var deadline: ContinuousClock.Instant? {
        guard let firstChangeAt, let lastChangeAt else { return nil }
        return min(lastChangeAt + settle, firstChangeAt + maxDelay)
    }

    /// Closes and returns the open batch if its deadline has passed at `now`.
    mutating func takeBatchIfDue(at now: ContinuousClock.Instant) -> ChangeBatch? {
        guard let deadline, now >= deadline else { return nil }
        return takeBatch(at: now)
    }

    /// Closes and returns the open batch regardless of its deadline (used when stopping).
    mutating func takeBatch(at now: ContinuousClock.Instant) -> ChangeBatch? {
        guard let firstChangeAt else { return nil }
        let batch = ChangeBatch(paths: paths, rescanNeeded: rescanNeeded, firstEventAt: firstChangeAt, settledAt: now)
        paths = []
        rescanNeeded = []
        self.firstChangeAt = nil
        lastChangeAt = nil
        return batch
    }
}
