extension DockerClient {
    /// `POST /images/create?fromImage=`: pulls `reference` (`repo[:tag]`, default tag `latest`).
    /// Failures (unknown repository, no network, unauthorised) say which image, why and what to do.
    public func pullImage(_ reference: String,
                          onProgress: @escaping @Sendable (PullProgress) -> Void = { _ in }) async throws {
        let (repository, tag) = ImageReference.split(reference)
        let request = try await request("POST", "/images/create", query: [("fromImage", repository), ("tag", tag)],
                                        headers: [("X-Registry-Auth", "e30=")], isIdempotent: true)
        let inBandError = LockedState<String?>(nil)
        do {
            _ = try await transport.stream(request, decoder: JSONLinesDecoder<ProgressMessage>()) { message in
                if let error = message.errorMessage {
                    inBandError.withLock { $0 = $0 ?? error }
                } else if let status = message.status {
                    onProgress(PullProgress(status: status, layer: message.id,
                                            current: message.progressDetail?.current, total: message.progressDetail?.total))
                }
            }
        } catch var error as DockerError where error.kind == .httpError || error.kind == .notFound {
            (error.message, error.hint) = Self.explainPullFailure(reference: "\(repository):\(tag)", daemonMessage: error.message)
            throw error
        }
        if let message = inBandError.value {
            let (text, hint) = Self.explainPullFailure(reference: "\(repository):\(tag)", daemonMessage: message)
            throw DockerError(.inBandError, method: request.method, endpoint: request.target, status: 200, message: text, hint: hint)
        }
    }

    /// `POST /images/{name}/push?tag=` with `X-Registry-Auth` from `auth` (`e30=`, anonymous, when nil);
    /// returns the pushed manifest digest (`aux.Digest`). Errors arrive in-band and are thrown as
    /// `.inBandError` naming the registry, the credentials used (never the secret) and what to do.
    ///
    /// Against an htpasswd registry this engine answers 200 and then, in-band: with no
    /// credentials `no basic auth credentials`; with a wrong password
    /// `unauthorized: authentication required`; a registry that is down
    /// `Get "http://HOST/v2/": dial tcp HOST: connect: connection refused`.
    @discardableResult
    public func pushImage(_ repository: String, tag: String, auth: RegistryAuth? = nil,
                          onProgress: @escaping @Sendable (PullProgress) -> Void = { _ in }) async throws -> String {
        let request = try await request("POST", "/images/\(PathSegment.escapeName(repository))/push", query: [("tag", tag)],
                                        headers: [("X-Registry-Auth", auth?.headerValue ?? "e30=")], isIdempotent: true)
        let outcome = LockedState<(digest: String?, error: String?)>((nil, nil))
        _ = try await transport.stream(request, decoder: JSONLinesDecoder<ProgressMessage>()) { message in
            if let error = message.errorMessage {
                outcome.withLock { $0.error = $0.error ?? error }
            } else if let digest = message.aux?.digest {
                outcome.withLock { $0.digest = digest }
            } else if let status = message.status {
                onProgress(PullProgress(status: status, layer: message.id,
                                        current: message.progressDetail?.current, total: message.progressDetail?.total))
            }
        }
        let result = outcome.value
        let reference = "\(repository):\(tag)"
        if let error = result.error {
            let registry = ImageReference.registryHost(of: repository)
            let why: String
            switch RegistryProblem.registryProblem(in: error) {
            case .unauthorized: why = "registry \(registry) refused the push (\(auth?.description ?? "no login"))"
            case .unreachable: why = "registry \(registry) cannot be reached"
            case .notFound, .other: why = "the engine reported an error"
            }
            throw DockerError(.inBandError, method: request.method, endpoint: request.target, status: 200,
                              message: "pushing \(reference) failed: \(why): \(error)",
                              hint: Self.registryHint(for: error, reference: reference))
        }
        guard let digest = result.digest else {
            throw DockerError(.protocolError, method: request.method, endpoint: request.target, status: 200,
                              message: "the push of \(reference) ended without a digest")
        }
        return digest
    }

    /// `POST /auth`: asks the engine to log in to `auth.serverAddress` with these credentials
    /// (the engine stores nothing). Throws a `DockerError` that says which registry, whether it
    /// refused the credentials or could not be reached, and hints `docker login HOST`.
    ///
    /// What this engine answered against an htpasswd registry: right credentials
    /// `200 {"IdentityToken":"","Status":"Login Succeeded"}`; a wrong password
    /// `500 "login attempt to http://HOST/v2/ failed with status: 401 Unauthorized"`; no
    /// credentials `500 "Get \"http://HOST/v2/\": no basic auth credentials"`; a registry that is
    /// down `500 "Get \"http://HOST/v2/\": dial tcp HOST: connect: connection refused"`.
    public func checkLogin(_ auth: RegistryAuth) async throws {
        let request = try await request("POST", "/auth", body: .bytes(Array(auth.bodyJSON), contentType: "application/json"))
        do {
            _ = try await transport.send(request)
        } catch var error as DockerError where error.kind == .httpError || error.kind == .notFound {
            let registry = RegistryHost.normalized(auth.serverAddress)
            switch RegistryProblem.registryProblem(in: error.message) {
            case .unreachable:
                error.message = "cannot log in to registry \(registry): it cannot be reached: \(error.message)"
                error.hint = "check that the registry runs and that \(registry) is its address (host[:port]), then `docker login \(registry)`"
            case .unauthorized:
                error.message = "registry \(registry) refused the login (\(auth.description)): \(error.message)"
                error.hint = "check the user name and password (or token), then `docker login \(registry)`"
            case .notFound, .other:
                error.message = "cannot log in to registry \(registry) (\(auth.description)): \(error.message)"
                error.hint = "check the registry address, then `docker login \(registry)`"
            }
            throw error
        }
    }

    static func explainPullFailure(reference: String, daemonMessage: String) -> (message: String, hint: String) {
        let why = switch RegistryProblem.registryProblem(in: daemonMessage) {
        case .unreachable: "its registry cannot be reached (no network access to it)"
        case .unauthorized: "the registry refused access (unauthorised, or the repository does not exist)"
        case .notFound: "the repository or tag does not exist in its registry"
        case .other: "the engine reported an error"
        }
        return ("cannot pull image \(reference): \(why): \(daemonMessage)", registryHint(for: daemonMessage, reference: reference))
    }

    static func registryHint(for message: String, reference: String) -> String {
        let registry = ImageReference.registryHost(of: ImageReference.split(reference).repository)
        switch RegistryProblem.registryProblem(in: message) {
        case .unauthorized:
            return "run `docker login \(registry)` (wbuild uses the docker CLI's credentials), check the image name, or build the image locally"
        case .notFound:
            return "check the name and tag of \(reference), or build a base image locally and refer to it"
        case .unreachable where registry != "docker.io":
            return "check that registry \(registry) is running and reachable from the engine, then retry (or `docker login \(registry)` if it needs a login)"
        case .unreachable, .other:
            return "no public registry is reachable from here: build a base image locally (e.g. FROM scratch with busybox-static), "
                + "configure a registry mirror (\"registry-mirrors\" in /etc/docker/daemon.json), or `docker login` to a registry you can reach"
        }
    }
}

/// Splits image references into repository and tag.
enum ImageReference {
    /// `127.0.0.1:5000/app:1` → (`127.0.0.1:5000/app`, `1`); `busybox` → (`busybox`, `latest`);
    /// a digest reference `app@sha256:…` keeps the digest as the tag.
    static func split(_ reference: String) -> (repository: String, tag: String) {
        if let at = reference.firstIndex(of: "@") {
            return (String(reference[..<at]), String(reference[reference.index(after: at)...]))
        }
        let lastSlash = reference.lastIndex(of: "/")
        if let colon = reference.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            return (String(reference[..<colon]), String(reference[reference.index(after: colon)...]))
        }
        return (reference, "latest")
    }

    /// The registry of a repository as the engine resolves it: the first path element when it
    /// has a `.` or `:` or is `localhost` (`127.0.0.1:5000/app` → `127.0.0.1:5000`), else `docker.io`.
    static func registryHost(of repository: String) -> String {
        guard let slash = repository.firstIndex(of: "/") else { return "docker.io" }
        let first = repository[..<slash]
        return first.contains(".") || first.contains(":") || first == "localhost" ? String(first) : "docker.io"
    }
}
