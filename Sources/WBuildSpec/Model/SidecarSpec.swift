/// An extra container run beside each replica of a workload (metrics exporter, proxy…).
public struct SidecarSpec: Sendable, Equatable {
    public var name: String
    public var image: String
    public var command: [String]?
    public var entrypoint: [String]?
    public var env: [KeyValuePair]

    public init(name: String, image: String, command: [String]? = nil, entrypoint: [String]? = nil,
                env: [KeyValuePair] = []) {
        self.name = name
        self.image = image
        self.command = command
        self.entrypoint = entrypoint
        self.env = env
    }
}
