import Synchronization

/// Lets one task at a time work on a workload (two `up`s of the same workload would fight
/// over container names); others wait their turn in order. Not reentrant.
final class WorkloadGate: Sendable {
    private struct State {
        var busy: Set<String> = []
        var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]
    }
    private let state = Mutex(State())

    /// Waits until `workload` is free, then holds it until `leave`.
    func enter(_ workload: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLock { state -> Bool in
                if state.busy.insert(workload).inserted { return true }
                state.waiting[workload, default: []].append(continuation)
                return false
            }
            if admitted { continuation.resume() }
        }
    }

    /// Hands `workload` to the next waiter, or frees it.
    func leave(_ workload: String) {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if var queue = state.waiting[workload], !queue.isEmpty {
                let first = queue.removeFirst()
                state.waiting[workload] = queue.isEmpty ? nil : queue
                return first
            }
            state.busy.remove(workload)
            return nil
        }
        next?.resume()
    }
}
