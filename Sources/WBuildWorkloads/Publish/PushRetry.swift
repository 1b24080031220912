/// Which registry failures are worth another try, and the tries themselves: a reset connection
/// or a 5xx from a busy registry often works a moment later; a refused login, a conflict or a
/// registry that is not listening at all does not, and is reported at once.
enum PushRetry {
    /// Tries in all, and the pause before each retry.
    static let pauses: [Duration] = [.milliseconds(500), .seconds(1)]

    static func isTransient(_ message: String) -> Bool {
        let lower = message.lowercased()
        if lower.contains("connection refused") || lower.contains("unauthorized") || lower.contains("denied")
            || lower.contains("authentication required") || lower.contains("no such host") {
            return false
        }
        return ["connection reset", "broken pipe", "unexpected eof", ": eof", "i/o timeout", "tls handshake timeout",
                "503 service unavailable", "502 bad gateway", "504 gateway timeout", "500 internal server error",
                "too many requests", "temporarily unavailable", "client.timeout"]
            .contains { lower.contains($0) }
    }

    /// Runs `attempt` until it succeeds, fails for good, or the pauses run out; `onRetry` hears
    /// each transient failure before its pause.
    static func run<T: Sendable>(onRetry: (String, Int) -> Void = { _, _ in },
                                 _ attempt: () async throws -> T) async throws -> T {
        var retry = 0
        while true {
            do {
                return try await attempt()
            } catch {
                let text = "\(error)"
                guard retry < pauses.count, isTransient(text), !Task.isCancelled else { throw error }
                onRetry(text, retry + 1)
                try await Task.sleep(for: pauses[retry])
                retry += 1
            }
        }
    }
}
