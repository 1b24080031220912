import Foundation

/// Where the Docker engine listens: a unix socket (the default `/var/run/docker.sock`) or a plain TCP address.
public enum DockerHost: Sendable, Equatable, CustomStringConvertible {
    case unix(path: String)
    case tcp(host: String, port: Int)

    /// The engine's default socket.
    public static let defaultSocket = DockerHost.unix(path: "/var/run/docker.sock")

    /// The host named by `DOCKER_HOST` in `environment`, or the default socket when it is unset or empty.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(DockerError) -> DockerHost {
        guard let value = environment["DOCKER_HOST"], !value.isEmpty else { return .defaultSocket }
        return try parse(value)
    }

    /// Parses `unix:///path` or `tcp://host:port`.
    public static func parse(_ text: String) throws(DockerError) -> DockerHost {
        if text.hasPrefix("unix://") {
            let path = String(text.dropFirst("unix://".count))
            guard path.hasPrefix("/") else { throw invalid(text, "the socket path must be absolute") }
            return .unix(path: path)
        }
        if text.hasPrefix("tcp://") {
            var rest = String(text.dropFirst("tcp://".count))
            if let slash = rest.firstIndex(of: "/") { rest = String(rest[..<slash]) }
            guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
                  (1...65535).contains(port) else {
                throw invalid(text, "expected tcp://host:port")
            }
            var host = String(rest[..<colon])
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { throw invalid(text, "the host is empty") }
            return .tcp(host: host, port: port)
        }
        throw invalid(text, "only unix:// and tcp:// (plain, no TLS) are supported")
    }

    private static func invalid(_ text: String, _ why: String) -> DockerError {
        DockerError(.engineUnreachable, endpoint: text, message: "DOCKER_HOST=\(text) is not usable: \(why)",
                    hint: "set DOCKER_HOST to unix:///var/run/docker.sock or tcp://host:port, or unset it")
    }

    /// The socket path or `host:port`.
    public var address: String {
        switch self {
        case .unix(let path): path
        case .tcp(let host, let port): "\(host):\(port)"
        }
    }

    public var description: String {
        switch self {
        case .unix(let path): "unix://\(path)"
        case .tcp(let host, let port): "tcp://\(host):\(port)"
        }
    }
}
