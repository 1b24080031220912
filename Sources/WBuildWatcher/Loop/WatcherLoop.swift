#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

/// The reader thread's state and loop: blocked in `poll()` on the inotify descriptor and
/// the wake pipe, with a timeout that is the next deadline (batch settle, hard cap, move
/// pairing, polling). Lives on exactly one thread; nothing here is shared.
final class WatcherLoop {
    let root: String
    let isIgnored: @Sendable (String, Bool) -> Bool
    let pollInterval: Duration
    let wake: WakePipe
    let control: WatcherControl
    let batchSink: AsyncStream<ChangeBatch>.Continuation
    let warningSink: AsyncStream<WatchWarning>.Continuation

    /// Nil when inotify itself is unavailable (out of instances): the whole tree is polled.
    var inotify: InotifyInstance?
    var table = WatchTable()
    var window: SettleWindow
    /// Subtrees watched by polling, keyed by their relative root.
    var polled: [String: PolledSubtree] = [:]
    var nextPollAt: ContinuousClock.Instant?
    /// Directories seen leaving by `IN_MOVED_FROM`, waiting for their `IN_MOVED_TO`, by cookie.
    var pendingMoves: [UInt32: String] = [:]
    /// When unpaired moves are settled as moves out of the tree.
    var pendingMovesExpireAt: ContinuousClock.Instant?
    var rootRemoved = false
    /// How many out-of-watches warnings were emitted (capped at `outOfWatchesWarningLimit`).
    var outOfWatchesWarnings = 0
    static let outOfWatchesWarningLimit = 5

    /// How long a directory's `IN_MOVED_FROM` waits for its `IN_MOVED_TO`. The kernel queues
    /// the two back to back, so this only covers a read that fell between them.
    static let movePairingWindow: Duration = .milliseconds(5)
    /// Reads per loop turn before deadlines are looked at again, so a flood of events
    /// cannot hold a batch past its hard cap.
    static let readsPerTurn = 8
    static let readBufferSize = 64 * 1024

    init(options: WatchOptions, inotify: InotifyInstance?, wake: WakePipe, control: WatcherControl,
         batchSink: AsyncStream<ChangeBatch>.Continuation, warningSink: AsyncStream<WatchWarning>.Continuation) {
        self.root = options.root
        self.isIgnored = options.isIgnored
        self.pollInterval = options.pollInterval
        self.inotify = inotify
        self.wake = wake
        self.control = control
        self.batchSink = batchSink
        self.warningSink = warningSink
        self.window = SettleWindow(settle: options.settle, maxDelay: options.maxDelay)
    }

    /// Watches the initial tree without reporting what is already there.
    func watchInitialTree() {
        if inotify == nil {
            startPolling("", report: false, now: .now)
        } else {
            watchTree("", report: false, now: .now)
        }
    }

    /// Runs until a stop is requested, then emits the open batch, closes the inotify
    /// descriptor and finishes both streams.
    func run() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBufferSize,
                                                            alignment: MemoryLayout<UInt64>.alignment)
        defer {
            buffer.deallocate()
            inotify?.close()
            inotify = nil
        }
        var descriptors = [
            pollfd(fd: wake.readEnd, events: Int16(POLLIN), revents: 0),
            pollfd(fd: inotify?.descriptor.rawValue ?? -1, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            let now = ContinuousClock.now
            handleDeadlines(now: now)
            let timeout = pollTimeout(now: now)
            descriptors[0].revents = 0
            descriptors[1].revents = 0
            let ready = descriptors.withUnsafeMutableBufferPointer { fds in
                retryingInterrupts { poll(fds.baseAddress, nfds_t(fds.count), timeout) }
            }
            guard case .success = ready else { continue }
            if descriptors[0].revents != 0 {
                wake.drain()
                if control.isStopRequested { break }
                if control.takeOverflowRequest() { handle([InotifyEvent.overflow], now: .now) }
            }
            if descriptors[1].revents & Int16(POLLERR | POLLNVAL) != 0 {
                // Cannot happen on our own open descriptor; never spin on it if it does.
                descriptors[1].fd = -1
                window.recordRescan("", at: .now)
            } else if descriptors[1].revents != 0 {
                readAvailable(into: buffer)
            }
        }
        if let batch = window.takeBatch(at: .now) { batchSink.yield(batch) }
        batchSink.finish()
        warningSink.finish()
    }

    /// Reads up to `readsPerTurn` buffers of events; when the queue is drained, starts the
    /// clock on directories that moved away without a partner.
    private func readAvailable(into buffer: UnsafeMutableRawBufferPointer) {
        guard let inotify else { return }
        for _ in 0..<Self.readsPerTurn {
            switch inotify.readEvents(into: buffer) {
            case .success(let events) where events.isEmpty:
                if !pendingMoves.isEmpty, pendingMovesExpireAt == nil {
                    pendingMovesExpireAt = .now + Self.movePairingWindow
                }
                return
            case .success(let events):
                handle(events, now: .now)
            case .failure:
                // EBADF/EINVAL cannot happen on our own descriptor; treat anything else as
                // lost events so the consumer re-scans rather than silently missing changes.
                window.recordRescan("", at: .now)
                return
            }
        }
    }

    /// Emits a due batch, settles expired moves and polls due subtrees.
    private func handleDeadlines(now: ContinuousClock.Instant) {
        if let expiry = pendingMovesExpireAt, now >= expiry {
            settleUnpairedMoves(now: now)
        }
        if let pollAt = nextPollAt, now >= pollAt {
            pollSubtrees(now: now)
        }
        if let batch = window.takeBatchIfDue(at: now) {
            batchSink.yield(batch)
        }
    }

    /// Milliseconds until the earliest deadline (rounded up), or -1 to wait for input only.
    private func pollTimeout(now: ContinuousClock.Instant) -> Int32 {
        let deadlines = [window.deadline, pendingMovesExpireAt, nextPollAt].compactMap { $0 }
        guard let earliest = deadlines.min() else { return -1 }
        let remaining = now.duration(to: earliest)
        if remaining <= .zero { return 0 }
        let (seconds, attoseconds) = remaining.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }
}
