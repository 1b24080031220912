#if canImport(Glibc)
import Glibc
#endif
import CWBuildSystem
import Synchronization

/// The one place that owns the process's signal self-pipe: installs and restores the C
/// forwarding handler per signal as subscribers come and go, and runs the thread that reads
/// the pipe and hands each signal to the subscribers that asked for it.
final class SignalRouter: Sendable {
    static let shared = SignalRouter()

    private struct Subscriber {
        var signals: Set<Int32>
        var continuation: AsyncStream<Int32>.Continuation
    }

    private struct State {
        var subscribers: [UInt64: Subscriber] = [:]
        var nextID: UInt64 = 0
        /// Signals whose handler is installed.
        var forwarded: Set<Int32> = []
        /// Read end of the self-pipe, once created.
        var pipeReadEnd: Int32?
    }

    private let state = Mutex(State())

    private init() {}

    /// Signals that currently have the forwarding handler installed.
    var forwardedSignals: Set<Int32> { state.withLock { $0.forwarded } }

    func subscribe(to signals: Set<Int32>, continuation: AsyncStream<Int32>.Continuation) -> UInt64 {
        state.withLock { state in
            startReaderIfNeeded(&state)
            state.nextID += 1
            state.subscribers[state.nextID] = Subscriber(signals: signals, continuation: continuation)
            if state.pipeReadEnd != nil {
                for signal in signals.subtracting(state.forwarded) where cwb_signal_forward(signal) == 0 {
                    state.forwarded.insert(signal)
                }
            }
            return state.nextID
        }
    }

    func unsubscribe(_ id: UInt64) {
        state.withLock { state in
            guard state.subscribers.removeValue(forKey: id) != nil else { return }
            let wanted = state.subscribers.values.reduce(into: Set<Int32>()) { $0.formUnion($1.signals) }
            for signal in state.forwarded.subtracting(wanted) {
                _ = cwb_signal_restore(signal)
                state.forwarded.remove(signal)
            }
        }
    }

    /// Creates the self-pipe (write end non-blocking: a full pipe drops a signal rather than
    /// blocking the handler) and the thread that reads it. Once per process; the thread lives
    /// as long as the process. If the pipe cannot be created, signals keep their default action.
    private func startReaderIfNeeded(_ state: inout State) {
        guard state.pipeReadEnd == nil else { return }
        var fds: [Int32] = [-1, -1]
        guard cwb_pipe_cloexec(&fds, 0) == 0 else { return }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        _ = fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK)
        cwb_signal_set_pipe(writeEnd)
        state.pipeReadEnd = readEnd
        DedicatedThread.start(name: "wbuild-signals") { self.readSignals(from: readEnd) }
    }

    private func readSignals(from descriptor: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let result = buffer.withUnsafeMutableBytes { FileDescriptor(rawValue: descriptor).read(into: $0) }
            guard case .success(let count) = result, count > 0 else { return }
            for byte in buffer[..<count] {
                deliver(Int32(byte))
            }
        }
    }

    private func deliver(_ signal: Int32) {
        let continuations = state.withLock { state in
            state.subscribers.values.filter { $0.signals.contains(signal) }.map(\.continuation)
        }
        for continuation in continuations {
            continuation.yield(signal)
        }
    }
}
