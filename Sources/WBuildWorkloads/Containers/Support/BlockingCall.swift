import Foundation

/// Runs blocking work (a socket connect and read) on an OS thread of its own, never on
/// Swift's cooperative pool, and resumes the caller with its result.
enum BlockingCall {
    static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.name = name
            thread.stackSize = 256 * 1024
            thread.start()
        }
    }
}

/// Races `body` against a deadline; nil when the deadline came first (the body is cancelled).
func withTimeout<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async -> T) async -> T? {
    await withTaskGroup(of: T?.self) { group in
        group.addTask { await body() }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        return await group.next() ?? nil
    }
}
