import Foundation
import Synchronization

/// Asks a registry for a tag's digest itself, over plain HTTP, instead of through the engine's
/// distribution inspect, which makes the same request and costs 15–45 ms more per tag on a busy
/// machine (Benchmarks/README.md, suites `publish` and `swarm`). A no-op `publish` is that check
/// per image; a no-op `deploy --target swarm` adds the probe and router images.
///
/// Which registries: those the engine itself reaches over plain HTTP — loopback (insecure by
/// default), and the ones its `/info` lists as insecure (`--insecure-registry HOST:PORT` or a
/// CIDR; `EngineRegistrySecurity`). Credentials go over plain HTTP only to loopback: for any
/// other registry a login means the engine's flow.
///
/// Only an answer the registry gives plainly counts: 200 with `Docker-Content-Digest`, or 404.
/// Anything else — a refused connection, a 401 with a token challenge we do not follow, a TLS
/// server's 400 — is nil, and the caller asks the engine, which knows more ways in.
enum PlainRegistryProbe {
    enum Answer: Equatable { case found(String), absent }

    /// Keep-alive connections per registry, for the several tags one `publish` asks about.
    private static let transports = Mutex<[String: HTTPTransport]>([:])

    static let acceptedManifests = [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
    ].joined(separator: ", ")

    /// The digest, asked of `parts`' registry (credentials are sent to loopback only).
    static func digest(_ parts: RegistryParts, tag: String, auth: RegistryAuth?) async -> Answer? {
        guard !tag.contains("/") else { return nil }
        let transport = transports.withLock { transports in
            let key = "\(parts.host):\(parts.port)"
            if let known = transports[key] { return known }
            let made = HTTPTransport(host: .tcp(host: parts.host, port: parts.port))
            transports[key] = made
            return made
        }
        var headers: [(name: String, value: String)] = [("Accept", acceptedManifests)]
        if let auth, !auth.isAnonymous {
            guard parts.isLoopback, let user = auth.username, let password = auth.password, auth.identityToken == nil else {
                return nil  // a token, or credentials for a registry off this machine: the engine's flow
            }
            headers.append(("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()))
        }
        let request = HTTPRequest(method: "GET", target: "/v2/\(parts.path)/manifests/\(tag)", headers: headers)
        do {
            let response = try await transport.send(request)
            guard response.head.status == 200, let digest = response.head.headers["Docker-Content-Digest"],
                  digest.hasPrefix("sha256:") else { return nil }
            return .found(digest)
        } catch let error as DockerError where error.kind == .notFound {
            return .absent
        } catch {
            return nil
        }
    }
}

/// `HOST:PORT/PATH` of a repository reference with an explicit port: the registry to ask and
/// the repository path in it.
struct RegistryParts: Equatable {
    var host: String
    var port: Int
    var path: String

    init(host: String, port: Int, path: String) {
        self.host = host
        self.port = port
        self.path = path
    }

    /// `127.0.0.1:5000/shop/api` → 127.0.0.1, 5000, `shop/api` (`localhost` → 127.0.0.1); nil
    /// without an explicit port, a path, or a plain host name or IPv4 address.
    init?(_ repository: String) {
        let parts = repository.split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let hostPort = parts[0].split(separator: ":")
        guard hostPort.count == 2, let port = Int(hostPort[1]), (1...65535).contains(port) else { return nil }
        var host = String(hostPort[0]).lowercased()
        if host == "localhost" { host = "127.0.0.1" }
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else { return nil }
        self.host = host
        self.port = port
        self.path = String(parts[1])
    }

    /// `HOST:PORT`, as the engine's `IndexConfigs` names a registry.
    var hostPort: String { "\(host):\(port)" }

    /// The host as four octets, when it is an IPv4 address.
    var ipv4: [UInt8]? {
        let octets = host.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        return octets.count == 4 && host.split(separator: ".", omittingEmptySubsequences: false).count == 4 ? octets : nil
    }

    var isLoopback: Bool { ipv4?.first == 127 }
}

extension DockerClient {
    /// The digest the registry has for `repository:tag`, or nil when it has no such tag: asked
    /// directly when the engine reaches that registry over plain HTTP (`PlainRegistryProbe`),
    /// else — and whenever that gives no plain answer — through the engine's distribution inspect.
    public func registryDigest(repository: String, tag: String, auth: RegistryAuth?) async throws -> String? {
        if let parts = RegistryParts(repository), await registrySecurity.allowsPlainHTTP(parts, client: self) {
            switch await PlainRegistryProbe.digest(parts, tag: tag, auth: auth) {
            case .found(let digest): return digest
            case .absent: return nil
            case nil: break
            }
        }
        return try await distributionInspect("\(repository):\(tag)", auth: auth)
    }
}
