/// CPU, memory and GPU limits of a workload's containers. Nil means no limit.
public struct ResourceLimits: Sendable, Equatable {
    /// CPUs, fractional allowed (`0.5`).
    public var cpus: Double?
    /// Memory in bytes (the file may write `"256Mi"`, `"1Gi"`, `"512M"`, `"1024k"` or a number).
    public var memoryBytes: Int?
    public var gpus: GPURequest?

    public init(cpus: Double? = nil, memoryBytes: Int? = nil, gpus: GPURequest? = nil) {
        self.cpus = cpus
        self.memoryBytes = memoryBytes
        self.gpus = gpus
    }
}

/// GPUs to give a workload: a count, or all of them.
public enum GPURequest: Sendable, Equatable {
    case count(Int)
    case all
}
