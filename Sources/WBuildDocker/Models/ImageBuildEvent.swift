/// Progress of a build, as the engine reports it.
public enum ImageBuildEvent: Sendable, Equatable {
    /// A `Step N/M : INSTRUCTION` line.
    case step(String)
    /// Other output (RUN output, cache notes), one line, ANSI colour codes removed.
    case output(String)
    /// An image ID the build produced (a stage, or the final image when it is the last).
    case imageID(String)
    /// A status line (e.g. pulling a base image).
    case status(String)
}

/// Progress of a pull or push.
public struct PullProgress: Sendable, Equatable {
    public var status: String
    /// Layer id, when the line is about one layer.
    public var layer: String?
    public var current: Int64?
    public var total: Int64?
}
