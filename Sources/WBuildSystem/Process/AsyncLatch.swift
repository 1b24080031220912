import Synchronization

/// A value that is set once (from any thread) and awaited by any number of tasks:
/// how a blocking reaper or reader thread hands its result to async code.
final class AsyncLatch<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var waiters: [UInt64: CheckedContinuation<Value?, Never>] = [:]
        var cancelled: Set<UInt64> = []
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    init() {}

    /// The value, if it is set.
    var value: Value? { state.withLock { $0.value } }

    /// Sets the value and wakes every waiter. Later calls are ignored.
    func resolve(_ value: Value) {
        let waiters = state.withLock { state -> [CheckedContinuation<Value?, Never>] in
            guard state.value == nil else { return [] }
            state.value = value
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    /// Waits until the value is set. Not cancellable: the value always comes
    /// (a process always exits once killed), so callers stop waiting by causing it.
    func wait() async -> Value {
        while true {
            if let value = await waitUnlessCancelled(ignoringCancellation: true) { return value }
        }
    }

    /// Waits until the value is set, at most `timeout`; `nil` on timeout or cancellation.
    func wait(timeout: Duration) async -> Value? {
        if let value { return value }
        return await withTaskGroup(of: Value?.self) { group in
            group.addTask { await self.waitUnlessCancelled(ignoringCancellation: false) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    private func waitUnlessCancelled(ignoringCancellation: Bool) async -> Value? {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        let register = {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
                let immediate: Value?? = self.state.withLock { state in
                    if let value = state.value { return .some(value) }
                    if state.cancelled.remove(id) != nil { return .some(nil) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        }
        if ignoringCancellation { return await register() }
        let result = await withTaskCancellationHandler(operation: register) {
            let waiter = self.state.withLock { state -> CheckedContinuation<Value?, Never>? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                state.cancelled.insert(id)
                return nil
            }
            waiter?.resume(returning: nil)
        }
        state.withLock { _ = $0.cancelled.remove(id) }
        return result
    }
}
