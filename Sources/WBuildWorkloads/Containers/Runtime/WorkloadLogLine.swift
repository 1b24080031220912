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

    public init(workload: String, replica: Int, sidecar: String?, containerID: String, stream: LogStream, text: String) {
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
