import Foundation

/// Runs blocking work (socket round trips, file reads for a batch) on an OS thread of its own and
/// resumes the caller when it is done, so it never occupies a thread of Swift's cooperative pool.
enum BlockingIO {
    static func run<T: Sendable>(_ name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.name = name
            thread.stackSize = 512 * 1024
            thread.start()
        }
    }
}
