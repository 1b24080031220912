import Synchronization

/// Requests other threads make of the reader thread; each is followed by a byte on the
/// wake pipe so the reader looks at them.
final class WatcherControl: Sendable {
    private let stop = Atomic<Bool>(false)
    private let overflow = Atomic<Bool>(false)

    func requestStop() { stop.store(true, ordering: .releasing) }
    var isStopRequested: Bool { stop.load(ordering: .acquiring) }

    /// Test seam: the reader handles a synthetic `IN_Q_OVERFLOW` as if the kernel had queued one.
    func requestOverflow() { overflow.store(true, ordering: .releasing) }
    func takeOverflowRequest() -> Bool { overflow.exchange(false, ordering: .acquiringAndReleasing) }
}
