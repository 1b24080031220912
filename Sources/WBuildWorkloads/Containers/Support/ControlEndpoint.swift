import WBuildDocker

/// Where wbuild reaches a control port over TCP (a container's live-update supervisor, a
/// workload's front door): a host port the runtime published on 127.0.0.1, or the container's
/// own address on its network (reachable from the Docker host on Linux), with the token the
/// program was started with.
public struct ControlEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// An IPv4 address.
    public var host: String
    public var port: Int
    /// The token the program was started with (`SupervisorLaunch`, the door's label), if any.
    public var token: String?

    /// `port` defaults to the supervisor's.
    public init(host: String, port: Int = SupervisorBinary.defaultPort, token: String? = nil) {
        self.host = host
        self.port = port
        self.token = token
    }

    public var description: String { "\(host):\(port)" }

    /// 256 random bits in hex: a control token for a program wbuild starts.
    public static func freshToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
