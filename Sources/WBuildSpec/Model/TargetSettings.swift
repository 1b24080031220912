/// `helm`: the chart `render --target helm` writes.
public struct HelmSettings: Sendable, Equatable {
    /// The chart's name (default: the project's name).
    public var chart: String?
    /// The chart's SemVer version (default `0.1.0`).
    public var version: String

    public init(chart: String? = nil, version: String = HelmSettings.defaultVersion) {
        self.chart = chart
        self.version = version
    }

    public static let defaultVersion = "0.1.0"
}

/// `swarm`: the stack `render --target swarm` and `deploy --target swarm` make.
public struct SwarmSettings: Sendable, Equatable {
    /// The stack's name (default: the project's name).
    public var stack: String?
    /// The swarm manager's engine address, e.g. `unix:///run/manager.sock` (default: `DOCKER_HOST`).
    public var host: String?

    public init(stack: String? = nil, host: String? = nil) {
        self.stack = stack
        self.host = host
    }
}
