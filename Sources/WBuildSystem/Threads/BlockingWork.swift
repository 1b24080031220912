/// Runs blocking work (file writes, socket round trips, directory walks) on an OS thread of its
/// own and awaits its result, so the Swift cooperative pool never waits in a system call.
public enum BlockingWork {
    public static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DedicatedThread.start(name: name, stackSize: 1 << 20) {
                continuation.resume(returning: body())
            }
        }
    }

    /// The throwing form: the error is rethrown to the awaiting caller.
    public static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            DedicatedThread.start(name: name, stackSize: 1 << 20) {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
