import Foundation

/// Thrown by `withDeadline` when the body did not finish in time.
struct DeadlineExceeded: Error, CustomStringConvertible {
    var description: String { "the operation did not finish before its deadline" }
}

/// Runs `body`, failing with `DeadlineExceeded` instead of hanging when it never finishes
/// (a safety net for streams that wait for an engine event).
func withDeadline<T: Sendable>(_ deadline: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: deadline)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw DeadlineExceeded() }
        return value
    }
}
