/// One running container of a workload that a live update applies to.
public struct LiveUpdateReplica: Sendable, Hashable {
    public var containerID: String
    /// True when the container runs under the supervisor (`/.wbuild/init` is its PID 1): files
    /// may travel over its channel and `restart: "process"` asks it.
    public var supervised: Bool
    /// Where to reach the supervisor; nil means the container's own address and the default port.
    public var endpoint: ControlEndpoint?

    public init(containerID: String, supervised: Bool, endpoint: ControlEndpoint? = nil) {
        self.containerID = containerID
        self.supervised = supervised
        self.endpoint = endpoint
    }
}

/// What happened in one replica during a live update.
public struct ReplicaOutcome: Sendable, Equatable {
    public var containerID: String
    /// How its files travelled (nil when there were none to send).
    public var transport: SyncTransport?
    /// The new process id after a supervisor restart.
    public var processID: Int?
    /// Bytes of file contents sent.
    public var bytesSent: Int
}
