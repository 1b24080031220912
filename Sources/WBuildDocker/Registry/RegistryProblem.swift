/// What went wrong between the engine and a registry, read from the engine's message. The one
/// place these messages are classified (pull, push, distribution inspect and `POST /auth`).
///
/// What this engine (docker.io 20.10, API 1.41) said against `docker-registry` 2.8 with htpasswd:
/// - unreachable: `Get "http://127.0.0.1:5999/v2/": dial tcp 127.0.0.1:5999: connect: connection refused`
/// - no credentials: `no basic auth credentials` (push, in-band; distribution inspect and `/auth`, 500)
/// - wrong credentials: `unauthorized: authentication required` (push, in-band; distribution inspect, 401);
///   `login attempt to http://127.0.0.1:5917/v2/ failed with status: 401 Unauthorized` (`/auth`, 500)
/// - absent tag: `manifest unknown: manifest unknown` (404)
public enum RegistryProblem: Sendable, Equatable {
    /// The registry did not answer: refused, no such host, timed out.
    case unreachable
    /// The registry wants credentials, or refused the ones given.
    case unauthorized
    /// The repository or tag does not exist there.
    case notFound
    /// Anything else.
    case other

    /// Classifies an engine message (case-insensitive substring checks).
    public static func registryProblem(in engineMessage: String) -> RegistryProblem {
        let lower = engineMessage.lowercased()
        let unreachable = ["no such host", "connection refused", "i/o timeout", "network is unreachable", "no route to host",
                           "tls handshake timeout", "dial tcp", "context deadline exceeded", "connection reset"]
        let unauthorized = ["unauthorized", "authentication required", "denied", "no basic auth credentials",
                            "status: 401", "status: 403", "incorrect username or password"]
        let notFound = ["not found", "manifest unknown", "does not exist", "name unknown"]
        if unreachable.contains(where: lower.contains) { return .unreachable }
        if unauthorized.contains(where: lower.contains) { return .unauthorized }
        if notFound.contains(where: lower.contains) { return .notFound }
        return .other
    }
}

extension DockerClient {
    /// `RegistryProblem.registryProblem(in:)`, where the client's other registry calls are.
    public static func registryProblem(in engineMessage: String) -> RegistryProblem {
        RegistryProblem.registryProblem(in: engineMessage)
    }
}
