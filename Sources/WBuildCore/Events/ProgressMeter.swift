import Synchronization

/// Turns a stream of progress updates from one node into the few worth showing: nothing for
/// work that ends within `quietFor` (half a second), then at most one every `every` (a new
/// phase or detail — the next build step — shows at once); for bytes it adds the rate since
/// the phase began. An update held back is kept, and `flush()` (called by a ticker while slow
/// work makes no updates, e.g. a long RUN step) shows it once it is due. Safe to call from any
/// thread (the context writer's, a scan's poller, a readiness loop).
public final class ProgressMeter: Sendable {
    private struct State {
        var lastEmitted: ContinuousClock.Instant?
        var lastShown: NodeProgress?
        var pending: NodeProgress?
        var phase: String?
        var phaseStarted: ContinuousClock.Instant
    }

    public let id: NodeID
    private let events: EventSink
    private let started: ContinuousClock.Instant
    private let quietFor: Duration
    private let every: Duration
    private let state: Mutex<State>

    public init(id: NodeID, events: EventSink, started: ContinuousClock.Instant = .now,
                quietFor: Duration = .milliseconds(500), every: Duration = .milliseconds(250)) {
        self.id = id
        self.events = events
        self.started = started
        self.quietFor = quietFor
        self.every = every
        state = Mutex(State(phaseStarted: started))
    }

    /// Emits `progress` when the node has run longer than `quietFor` and the last one shown is
    /// older than `every`; otherwise drops it (the next update carries newer numbers).
    public func report(_ progress: NodeProgress, now: ContinuousClock.Instant = .now) {
        let shown: NodeProgress? = state.withLock { state in
            if state.phase != progress.phase {
                state.phase = progress.phase
                state.phaseStarted = now
            }
            let changed = state.lastShown.map { $0.phase != progress.phase || $0.detail != progress.detail } ?? true
            guard now - started >= quietFor,
                  changed || state.lastEmitted.map({ now - $0 >= every }) ?? true else {
                state.pending = progress
                return nil
            }
            state.pending = nil
            state.lastEmitted = now
            state.lastShown = progress
            var progress = progress
            if progress.unit == .bytes, progress.ratePerSecond == nil {
                let seconds = Double((now - state.phaseStarted).components.attoseconds) / 1e18
                    + Double((now - state.phaseStarted).components.seconds)
                if seconds > 0.05 { progress.ratePerSecond = Double(progress.done) / seconds }
            }
            return progress
        }
        if let shown { events.emit(.progress(id, shown)) }
    }

    /// Shows the update held back last, if it is due now.
    public func flush(now: ContinuousClock.Instant = .now) {
        guard let pending = state.withLock({ $0.pending }) else { return }
        report(pending, now: now)
    }

    /// Calls `flush()` every `every` until the returned task is cancelled.
    public func startTicking() -> Task<Void, Never> {
        let every = every
        return Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: every)
                flush()
            }
        }
    }
}

extension NodeContext {
    /// A meter for this node's progress, counting from now.
    public func progressMeter() -> ProgressMeter {
        ProgressMeter(id: id, events: events)
    }
}
