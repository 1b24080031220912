/// A readiness or liveness check, and how often and how patiently to run it.
public struct ProbeSpec: Sendable, Equatable {
    public var check: ProbeCheck
    public var intervalMs: Int
    public var timeoutMs: Int
    /// Consecutive failures before the workload counts as unready / dead.
    public var failureThreshold: Int
    public var initialDelayMs: Int

    public init(check: ProbeCheck, intervalMs: Int = ProbeSpec.defaultIntervalMs,
                timeoutMs: Int = ProbeSpec.defaultTimeoutMs,
                failureThreshold: Int = ProbeSpec.defaultFailureThreshold,
                initialDelayMs: Int = ProbeSpec.defaultInitialDelayMs) {
        self.check = check
        self.intervalMs = intervalMs
        self.timeoutMs = timeoutMs
        self.failureThreshold = failureThreshold
        self.initialDelayMs = initialDelayMs
    }

    public static let defaultIntervalMs = 1000
    public static let defaultTimeoutMs = 1000
    public static let defaultFailureThreshold = 3
    public static let defaultInitialDelayMs = 0
}

/// What a probe does: exactly one of an HTTP GET, a TCP connect, or a command in the container.
public enum ProbeCheck: Sendable, Equatable {
    /// Succeeds on a 2xx/3xx answer to `GET path` on the container port.
    case http(path: String, port: Int)
    /// Succeeds when the container port accepts a connection.
    case tcp(port: Int)
    /// Succeeds when the command exits 0.
    case exec(command: [String])
}
