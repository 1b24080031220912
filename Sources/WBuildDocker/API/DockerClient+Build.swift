extension DockerClient {
    /// Writes a build context into the request body as it is produced (chunked); `write` may be
    /// given to `TarWriter(sink:)`. Runs on the transport's thread.
    public typealias ContextProducer = @Sendable (_ write: @escaping ([UInt8]) throws -> Void) throws -> Void

    /// `POST /build` with a context tar already in memory. See `build(options:onEvent:context:)`.
    @discardableResult
    public func build(contextTar: [UInt8], options: BuildOptions,
                      onEvent: @escaping @Sendable (ImageBuildEvent) -> Void = { _ in }) async throws -> String {
        try await build(body: .bytes(contextTar, contentType: "application/x-tar"), options: options, onEvent: onEvent)
    }

    /// `POST /build`, streaming the context from `context` and reporting progress through `onEvent`
    /// (called on the transport's thread). Returns the final image ID (the last `aux.ID`).
    ///
    /// Throws `DockerError` with kind `.inBandError` and `buildFailure` (failing step, last output
    /// lines, exit code) when the build fails after starting, or `.httpError` when the daemon
    /// rejects it up front (Dockerfile parse error, missing Dockerfile).
    @discardableResult
    public func build(options: BuildOptions, onEvent: @escaping @Sendable (ImageBuildEvent) -> Void = { _ in },
                      context: @escaping ContextProducer) async throws -> String {
        try await build(body: .stream(contentType: "application/x-tar", producer: context), options: options, onEvent: onEvent)
    }

    private func build(body: RequestBody, options: BuildOptions,
                       onEvent: @escaping @Sendable (ImageBuildEvent) -> Void) async throws -> String {
        var query: [(String, String?)] = options.tags.map { ("t", $0) }
        query += [
            ("dockerfile", options.dockerfile),
            ("buildargs", options.buildArgs.isEmpty ? nil : JSONCoding.queryJSON(options.buildArgs)),
            ("labels", options.labels.isEmpty ? nil : JSONCoding.queryJSON(options.labels)),
            ("target", options.target),
            ("nocache", options.noCache ? "1" : nil),
            ("rm", "1"),
            ("forcerm", options.forceRemove ? "1" : nil),
            ("platform", options.platform),
        ]
        let request = try await request("POST", "/build", query: query, body: body)
        let state = LockedState(BuildStreamState())
        _ = try await transport.stream(request, decoder: JSONLinesDecoder<ProgressMessage>()) { message in
            for event in state.withLock({ $0.consume(message) }) { onEvent(event) }
        }
        let final = state.value
        if let error = final.errorMessage {
            var message = error
            if let base = Self.baseImage(inStep: final.step) {
                message = "the base image \(base) is not available locally and could not be pulled: \(error)"
            }
            throw DockerError(.inBandError, method: request.method, endpoint: request.target, status: 200,
                              message: message, hint: Self.buildHint(for: error), buildFailure: final.failure)
        }
        guard let imageID = final.imageID else {
            throw DockerError(.protocolError, method: request.method, endpoint: request.target, status: 200,
                              message: "the build stream ended without an image ID",
                              hint: "the engine may use BuildKit only; wbuild needs the classic builder (API /build)")
        }
        return imageID
    }

    /// The image of a `Step N/M : FROM image [AS name]` line.
    static func baseImage(inStep step: String?) -> String? {
        guard let step, let range = step.range(of: " : ") else { return nil }
        let words = step[range.upperBound...].split(separator: " ")
        guard words.count >= 2, words[0].uppercased() == "FROM" else { return nil }
        return String(words[1])
    }

    static func buildHint(for message: String) -> String? {
        let lower = message.lowercased()
        if lower.hasPrefix("copy failed") || lower.hasPrefix("add failed") {
            return "a COPY or ADD source is not in the build context: check its path (relative to the context) and .dockerignore"
        }
        if lower.contains("pull access denied") || lower.contains("repository does not exist")
            || lower.contains("no such host") || lower.contains("manifest unknown") || lower.contains("not found") {
            return "the FROM image is not available locally and could not be pulled: build the base image locally first "
                + "(e.g. from busybox-static or debootstrap), configure a registry mirror, or `docker login` to its registry"
        }
        if lower.contains("returned a non-zero code") {
            return "a RUN step failed: see its output above and fix the command or its inputs"
        }
        return nil
    }
}
