import Synchronization

/// An async client for the Docker Engine API (1.41 and older engines) over a unix socket or plain TCP.
///
/// Every call negotiates the API version once (an unversioned `GET /_ping`, then `/v{min(1.41, engine)}`
/// on every path), reuses keep-alive connections, runs its blocking I/O on a dedicated thread, and
/// throws `DockerError`. Cheap to copy; copies share connections.
public struct DockerClient: Sendable {
    /// The newest API version this client speaks.
    public static let maximumAPIVersion = APIVersion(major: 1, minor: 41)

    let transport: HTTPTransport
    private let negotiated: NegotiatedVersion
    /// The engine's insecure registries, asked once (`registryDigest`).
    let registrySecurity = EngineRegistrySecurity()

    /// A client for `host`. Nothing is connected until the first call.
    public init(host: DockerHost) {
        self.transport = HTTPTransport(host: host)
        self.negotiated = NegotiatedVersion()
    }

    /// A client for `DOCKER_HOST`, or the default socket when it is unset.
    public init() throws(DockerError) {
        self.init(host: try DockerHost.fromEnvironment())
    }

    public var host: DockerHost { transport.host }

    /// The version negotiated so far, if any call happened.
    public var apiVersion: APIVersion? { negotiated.value }

    /// Closes the idle keep-alive connections (in-flight requests are not affected).
    public func closeIdleConnections() {
        transport.pool.closeAll()
    }

    /// `GET /_ping` (unversioned): checks the engine answers and negotiates the API version.
    @discardableResult
    public func ping() async throws -> EngineVersion {
        let request = HTTPRequest(method: "GET", target: "/_ping")
        let response = try await transport.send(request)
        let headers = response.head.headers
        let engineVersion = headers["Api-Version"].flatMap(APIVersion.init) ?? Self.maximumAPIVersion
        let chosen = min(engineVersion, Self.maximumAPIVersion)
        negotiated.set(chosen)
        return EngineVersion(negotiated: chosen, engineAPIVersion: engineVersion,
                             osType: headers["Ostype"], server: headers["Server"],
                             experimental: headers["Docker-Experimental"] == "true")
    }

    /// `/v{negotiated}` + `path` + `?query` (pings first when nothing was negotiated yet).
    func target(_ path: String, query: [(String, String?)] = []) async throws -> String {
        let version: APIVersion
        if let known = negotiated.value {
            version = known
        } else {
            version = try await ping().negotiated
        }
        return "/v\(version)\(path)" + QueryString.encode(query)
    }

    /// Builds a versioned request.
    func request(_ method: String, _ path: String, query: [(String, String?)] = [], body: RequestBody = .empty,
                 headers: [(name: String, value: String)] = [], isIdempotent: Bool? = nil,
                 hijacks: Bool = false) async throws -> HTTPRequest {
        HTTPRequest(method: method, target: try await target(path, query: query), headers: headers, body: body,
                    isIdempotent: isIdempotent, hijacks: hijacks)
    }

    /// Sends a request and decodes its JSON body as `T`.
    func decoding<T: Decodable>(_ type: T.Type, _ request: HTTPRequest) async throws -> T {
        let response = try await transport.send(request)
        do {
            return try JSONCoding.decode(type, from: response.body)
        } catch {
            throw DockerError(.protocolError, method: request.method, endpoint: request.target,
                              status: response.head.status,
                              message: "unexpected response body: \(error); body starts \(String(decoding: response.body.prefix(200), as: UTF8.self))")
        }
    }

    /// A JSON request body.
    static func json<T: Encodable>(_ value: T) throws -> RequestBody {
        .bytes(try JSONCoding.encode(value), contentType: "application/json")
    }
}

/// The API version chosen by the first ping, shared by copies of a client.
final class NegotiatedVersion: Sendable {
    private let version = Mutex<APIVersion?>(nil)
    var value: APIVersion? { version.withLock { $0 } }
    func set(_ value: APIVersion) { version.withLock { $0 = value } }
}
