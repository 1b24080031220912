import WBuildDocker

/// Where wbuild reaches a helper's control port over TCP (a container's live-update supervisor, a
/// workload's front door): a host port the runtime published on 127.0.0.1, or the container's
/// own address on its network (reachable from the Docker host on Linux), with the secret the
/// helper reads from the container's `/.wbuild/secret` (`ControlSecrets`).
public struct ControlEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// An IPv4 address.
    public var host: String
    public var port: Int
    /// The container's control secret: 64 lowercase hex characters, sent as `AUTH <secret>` first
    /// on every connection (`ControlChannel`). Never printed: `description` leaves it out.
    public var secret: String

    /// `port` defaults to the supervisor's.
    public init(host: String, port: Int = SupervisorBinary.defaultPort, secret: String) {
        self.host = host
        self.port = port
        self.secret = secret
    }

    public var description: String { "\(host):\(port)" }

    /// 256 random bits in lowercase hex (the system's CSPRNG): a control secret for one container.
    public static func freshToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// Whether `text` has the form of a secret `freshToken` makes (what the helpers accept).
    public static func isWellFormedSecret(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
