/// `router`: where the local router listens and how long it holds a request for a workload
/// that is not ready yet. Always present; the router runs when any workload has routes.
public struct RouterSettings: Sendable, Equatable {
    /// The host port; nil: one picked once and kept stable across runs.
    public var port: Int?
    /// The IPv4 address to listen on (default 127.0.0.1, loopback only). Any IPv4 literal is
    /// accepted, e.g. 0.0.0.0 to serve other machines.
    public var host: String
    /// How long a request waits for a backend that is starting or being replaced before it
    /// gets 503 (default 5000; 0: answer at once).
    public var holdMs: Int

    public init(port: Int? = nil, host: String = RouterSettings.defaultHost, holdMs: Int = RouterSettings.defaultHoldMs) {
        self.port = port
        self.host = host
        self.holdMs = holdMs
    }

    public static let defaultHost = "127.0.0.1"
    public static let defaultHoldMs = 5000
    /// The longest `holdMs` accepted: ten minutes.
    public static let maximumHoldMs = 600_000
}
