import WBuildCore

/// One line a workload's container wrote, with where it came from.
public struct WorkloadLogLine: Sendable, Equatable {
    public var workload: String
    public var replica: Int
    /// The sidecar that wrote it, nil for the workload's own container.
    public var sidecar: String?
    public var containerID: String
    public var stream: LogStream
    public var text: String
    /// When the container wrote it (the engine's RFC 3339 time), when asked for.
    public var timestamp: String?

    public init(workload: String, replica: Int, sidecar: String?, containerID: String, stream: LogStream, text: String,
                timestamp: String? = nil) {
        self.timestamp = timestamp
        self.workload = workload
        self.replica = replica
        self.sidecar = sidecar
        self.containerID = containerID
        self.stream = stream
        self.text = text
    }

    /// `web[0]`, or `web[0]/metrics` for a sidecar: what the terminal puts before the line.
    public var prefix: String { "\(workload)[\(replica)]" + (sidecar.map { "/\($0)" } ?? "") }
}

/// Which lines `WorkloadRuntime.logs` gives: the last `tail` of each container, those written
/// since `since` (unix seconds), with their timestamps.
public struct LogSelection: Sendable, Equatable {
    public var tail: Int?
    public var since: Int64?
    public var timestamps: Bool

    public init(tail: Int? = nil, since: Int64? = nil, timestamps: Bool = false) {
        self.tail = tail
        self.since = since
        self.timestamps = timestamps
    }
}
