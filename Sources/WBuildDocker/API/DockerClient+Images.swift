extension DockerClient {
    /// `GET /images/{name}/json`; nil when the engine has no such image.
    public func inspectImage(_ name: String) async throws -> ImageInfo? {
        do {
            return try await decoding(ImageInfo.self, request("GET", "/images/\(PathSegment.escapeName(name))/json"))
        } catch let error as DockerError where error.kind == .notFound {
            return nil
        }
    }

    /// `GET /images/json` filtered by labels (`key` or `key=value`, ANDed).
    public func listImages(labelFilter: [String] = []) async throws -> [ImageSummary] {
        let filters = labelFilter.isEmpty ? nil : JSONCoding.queryJSON(["label": labelFilter])
        return try await decoding([ImageSummary].self, request("GET", "/images/json", query: [("filters", filters)]))
    }

    /// `POST /images/{name}/tag`: adds `repository:tag` to an existing image.
    public func tagImage(_ name: String, repository: String, tag: String) async throws {
        _ = try await transport.send(request("POST", "/images/\(PathSegment.escapeName(name))/tag",
                                             query: [("repo", repository), ("tag", tag)], isIdempotent: true))
    }

    /// `DELETE /images/{name}`. Without `force` the engine refuses (409) when a container, even a stopped one, uses it.
    public func removeImage(_ name: String, force: Bool = false) async throws {
        _ = try await transport.send(request("DELETE", "/images/\(PathSegment.escapeName(name))",
                                             query: [("force", force ? "1" : nil)]))
    }

    /// `GET /distribution/{name}/json` with `X-Registry-Auth` from `auth` (`e30=` when nil): the
    /// registry's manifest digest for `reference`, or nil when the registry does not have that tag.
    ///
    /// Against an htpasswd registry this engine answers: right credentials `200` (or `404
    /// "manifest unknown"` for an absent tag); a wrong password `401 "unauthorized:
    /// authentication required"`; no credentials `500 "Head \"http://HOST/v2/NAME/manifests/TAG\":
    /// no basic auth credentials"`; a registry that is down `500 "…connection refused"`. Those
    /// errors are thrown naming the registry, with a `docker login HOST` hint.
    public func distributionInspect(_ reference: String, auth: RegistryAuth? = nil) async throws -> String? {
        struct Answer: Decodable {
            struct Descriptor: Decodable { var digest: String }
            var Descriptor: Descriptor
        }
        do {
            let request = try await request("GET", "/distribution/\(PathSegment.escapeName(reference))/json",
                                            headers: [("X-Registry-Auth", auth?.headerValue ?? "e30=")])
            return try await decoding(Answer.self, request).Descriptor.digest
        } catch let error as DockerError where error.kind == .notFound {
            return nil
        } catch var error as DockerError where error.kind == .httpError {
            let registry = ImageReference.registryHost(of: ImageReference.split(reference).repository)
            let engineMessage = error.message
            switch RegistryProblem.registryProblem(in: engineMessage) {
            case .unauthorized:
                error.message = "registry \(registry) refused to show \(reference) (\(auth?.description ?? "no login")): \(error.message)"
            case .unreachable:
                error.message = "cannot look up \(reference): registry \(registry) cannot be reached: \(error.message)"
            case .notFound, .other:
                error.message = "cannot look up \(reference) in registry \(registry): \(error.message)"
            }
            error.hint = Self.registryHint(for: engineMessage, reference: reference)
            throw error
        }
    }
}
