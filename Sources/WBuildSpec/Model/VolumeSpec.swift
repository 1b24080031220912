/// Something mounted into a workload's containers.
public struct VolumeSpec: Sendable, Equatable {
    public var source: VolumeSource
    /// Absolute path in the container.
    public var target: String
    public var readOnly: Bool

    public init(source: VolumeSource, target: String, readOnly: Bool = false) {
        self.source = source
        self.target = target
        self.readOnly = readOnly
    }
}

/// What a volume mounts: a host path or a named volume.
public enum VolumeSource: Sendable, Equatable {
    /// A host path as written (`./data`), relative to the project root unless absolute.
    case hostPath(String)
    /// A named volume the engine manages (labelled with the project, removed by `down --volumes`).
    case named(String)
}
