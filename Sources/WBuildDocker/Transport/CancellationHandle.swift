#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Lets another thread interrupt a blocking request: `cancel()` shuts the request's socket down,
/// so a thread blocked in `recv`/`send` wakes with EOF or an error and sees `isCancelled`.
final class CancellationHandle: Sendable {
    private struct State {
        var fd: Int32?
        var cancelled = false
    }

    private let state = Mutex(State())

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Registers the socket in use; returns false when cancellation already happened.
    func attach(_ fd: Int32) -> Bool {
        state.withLock { state in
            guard !state.cancelled else { return false }
            state.fd = fd
            return true
        }
    }

    /// Forgets the socket before it goes back to the pool or is closed.
    func detach() {
        state.withLock { $0.fd = nil }
    }

    func cancel() {
        state.withLock { state in
            state.cancelled = true
            if let fd = state.fd { Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }
}
