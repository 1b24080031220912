import Foundation
import Synchronization

/// Asks a registry on loopback for a tag's digest itself, over plain HTTP — the way the engine
/// reaches 127.0.0.0/8 registries (insecure by default) — instead of through the engine's
/// distribution inspect, which makes the same request and costs 15–45 ms more per tag on a busy
/// machine (Benchmarks/README.md, suite `publish`). A no-op `publish` is that check per image.
///
/// Only an answer the registry gives plainly counts: 200 with `Docker-Content-Digest`, or 404.
/// Anything else — a refused connection, a 401 with a token challenge we do not follow, a
/// non-loopback host — is nil, and the caller asks the engine, which knows more ways in.
enum LoopbackRegistryProbe {
    enum Answer: Equatable { case found(String), absent }

    /// Keep-alive connections per registry, for the several tags one `publish` asks about.
    private static let transports = Mutex<[String: HTTPTransport]>([:])

    static let acceptedManifests = [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
    ].joined(separator: ", ")

    static func digest(repository: String, tag: String, auth: RegistryAuth?) async -> Answer? {
        guard let (host, port, path) = loopbackParts(repository), !tag.contains("/") else { return nil }
        let transport = transports.withLock { transports in
            let key = "\(host):\(port)"
            if let known = transports[key] { return known }
            let made = HTTPTransport(host: .tcp(host: host, port: port))
            transports[key] = made
            return made
        }
        var headers: [(name: String, value: String)] = [("Accept", acceptedManifests)]
        if let auth, let user = auth.username, let password = auth.password, auth.identityToken == nil {
            headers.append(("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()))
        } else if let auth, !auth.isAnonymous {
            return nil  // a token: the engine's flow
        }
        let request = HTTPRequest(method: "GET", target: "/v2/\(path)/manifests/\(tag)", headers: headers)
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

    /// `127.0.0.1:5000/shop/api` → (`127.0.0.1`, 5000, `shop/api`); nil unless the host is a
    /// loopback address (or `localhost`) with an explicit port.
    static func loopbackParts(_ repository: String) -> (host: String, port: Int, path: String)? {
        let parts = repository.split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let hostPort = parts[0].split(separator: ":")
        guard hostPort.count == 2, let port = Int(hostPort[1]), (1...65535).contains(port) else { return nil }
        var host = String(hostPort[0])
        if host == "localhost" { host = "127.0.0.1" }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127", octets.allSatisfy({ UInt8($0) != nil }) else { return nil }
        return (host, port, String(parts[1]))
    }
}

extension DockerClient {
    /// The digest the registry has for `repository:tag`, or nil when it has no such tag: asked
    /// directly when the registry is on loopback (`LoopbackRegistryProbe`), else — and whenever
    /// that gives no plain answer — through the engine's distribution inspect.
    public func registryDigest(repository: String, tag: String, auth: RegistryAuth?) async throws -> String? {
        switch await LoopbackRegistryProbe.digest(repository: repository, tag: tag, auth: auth) {
        case .found(let digest): return digest
        case .absent: return nil
        case nil: return try await distributionInspect("\(repository):\(tag)", auth: auth)
        }
    }
}
