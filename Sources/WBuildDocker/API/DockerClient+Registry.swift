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

    /// `POST /images/{name}/push?tag=` with anonymous `X-Registry-Auth` (`e30=`); returns the pushed
    /// manifest digest (`aux.Digest`). Errors arrive in-band and are thrown as `.inBandError`.
    @discardableResult
    public func pushImage(_ repository: String, tag: String,
                          onProgress: @escaping @Sendable (PullProgress) -> Void = { _ in }) async throws -> String {
        let request = try await request("POST", "/images/\(PathSegment.escapeName(repository))/push", query: [("tag", tag)],
                                        headers: [("X-Registry-Auth", "e30=")], isIdempotent: true)
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
        if let error = result.error {
            throw DockerError(.inBandError, method: request.method, endpoint: request.target, status: 200,
                              message: "pushing \(repository):\(tag) failed: \(error)",
                              hint: Self.registryHint(for: error, reference: "\(repository):\(tag)"))
        }
        guard let digest = result.digest else {
            throw DockerError(.protocolError, method: request.method, endpoint: request.target, status: 200,
                              message: "the push of \(repository):\(tag) ended without a digest")
        }
        return digest
    }

    static func explainPullFailure(reference: String, daemonMessage: String) -> (message: String, hint: String) {
        let lower = daemonMessage.lowercased()
        let why: String
        if lower.contains("no such host") || lower.contains("connection refused") || lower.contains("i/o timeout")
            || lower.contains("network is unreachable") || lower.contains("tls handshake timeout") || lower.contains("dial tcp") {
            why = "its registry cannot be reached (no network access to it)"
        } else if lower.contains("unauthorized") || lower.contains("authentication required") || lower.contains("denied") {
            why = "the registry refused access (unauthorised, or the repository does not exist)"
        } else if lower.contains("not found") || lower.contains("manifest unknown") || lower.contains("does not exist") {
            why = "the repository or tag does not exist in its registry"
        } else {
            why = "the engine reported an error"
        }
        return ("cannot pull image \(reference): \(why): \(daemonMessage)", registryHint(for: daemonMessage, reference: reference))
    }

    static func registryHint(for message: String, reference: String) -> String {
        let lower = message.lowercased()
        if lower.contains("unauthorized") || lower.contains("authentication required") || lower.contains("denied") {
            return "run `docker login` for the registry of \(reference), check the image name, or build the image locally"
        }
        if lower.contains("not found") || lower.contains("manifest unknown") || lower.contains("does not exist") {
            return "check the name and tag of \(reference), or build a base image locally and refer to it"
        }
        return "no public registry is reachable from here: build a base image locally (e.g. FROM scratch with busybox-static), "
            + "configure a registry mirror (\"registry-mirrors\" in /etc/docker/daemon.json), or `docker login` to a registry you can reach"
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
}
