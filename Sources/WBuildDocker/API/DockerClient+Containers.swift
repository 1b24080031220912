extension DockerClient {
    /// `POST /containers/create?name=`; returns the new container's ID. Never pulls: a missing image is `.notFound`.
    public func createContainer(name: String?, config: ContainerConfig) async throws -> String {
        struct Created: Decodable { var Id: String }
        let request = try await request("POST", "/containers/create", query: [("name", name)], body: Self.json(config))
        return try await decoding(Created.self, request).Id
    }

    /// `POST /containers/{id}/start`; starting a running container is not an error (304).
    public func startContainer(_ id: String) async throws {
        _ = try await transport.send(request("POST", "/containers/\(PathSegment.escapeName(id))/start", isIdempotent: true))
    }

    /// `POST /containers/{id}/rename?name=`: frees the container's name for a new container.
    public func renameContainer(_ id: String, to name: String) async throws {
        _ = try await transport.send(request("POST", "/containers/\(PathSegment.escapeName(id))/rename", query: [("name", name)]))
    }

    /// `POST /containers/{id}/stop?t=`: SIGTERM, then SIGKILL after `timeout` seconds. Stopping a stopped container is fine.
    public func stopContainer(_ id: String, timeout: Int? = nil) async throws {
        _ = try await transport.send(request("POST", "/containers/\(PathSegment.escapeName(id))/stop",
                                             query: [("t", timeout.map(String.init))], isIdempotent: true))
    }

    /// `POST /containers/{id}/restart?t=`. Re-read published ports afterwards: they change on every start.
    public func restartContainer(_ id: String, timeout: Int? = nil) async throws {
        _ = try await transport.send(request("POST", "/containers/\(PathSegment.escapeName(id))/restart",
                                             query: [("t", timeout.map(String.init))]))
    }

    /// `POST /containers/{id}/kill?signal=` (default SIGKILL); `.httpError` 409 when not running.
    public func killContainer(_ id: String, signal: String? = nil) async throws {
        _ = try await transport.send(request("POST", "/containers/\(PathSegment.escapeName(id))/kill", query: [("signal", signal)]))
    }

    /// `DELETE /containers/{id}?force=&v=`.
    public func removeContainer(_ id: String, force: Bool = false, volumes: Bool = false) async throws {
        _ = try await transport.send(request("DELETE", "/containers/\(PathSegment.escapeName(id))",
                                             query: [("force", force ? "true" : nil), ("v", volumes ? "true" : nil)]))
    }

    /// `GET /containers/{id}/json`; nil when there is no such container.
    public func inspectContainer(_ id: String) async throws -> ContainerInfo? {
        do {
            return try await decoding(ContainerInfo.self, request("GET", "/containers/\(PathSegment.escapeName(id))/json"))
        } catch let error as DockerError where error.kind == .notFound {
            return nil
        }
    }

    /// `GET /containers/json?all=&filters={"label":[…]}`; labels are `key` or `key=value`, ANDed.
    public func listContainers(labels: [String] = [], all: Bool = true) async throws -> [ContainerSummary] {
        let filters = labels.isEmpty ? nil : JSONCoding.queryJSON(["label": labels])
        return try await decoding([ContainerSummary].self,
                                  request("GET", "/containers/json", query: [("all", all ? "1" : nil), ("filters", filters)]))
    }

    /// `POST /containers/{id}/wait?condition=`: waits until the container stops and returns its exit
    /// status. Use `next-exit` (sent before start) to wait for a run that has not begun.
    public func waitContainer(_ id: String, condition: String = "not-running") async throws -> Int {
        struct Waited: Decodable {
            struct Failure: Decodable { var Message: String? }
            var StatusCode: Int
            var Error: Failure?
        }
        let request = try await request("POST", "/containers/\(PathSegment.escapeName(id))/wait",
                                        query: [("condition", condition)], isIdempotent: true)
        let waited = try await decoding(Waited.self, request)
        if let message = waited.Error?.Message, !message.isEmpty {
            throw DockerError(.inBandError, method: request.method, endpoint: request.target, status: 200, message: message)
        }
        return waited.StatusCode
    }

    /// `PUT /containers/{id}/archive?path=`: extracts a tar into the container under `path`, which
    /// must already exist and be a directory.
    public func putArchive(_ id: String, path: String, tar: [UInt8]) async throws {
        _ = try await transport.send(request("PUT", "/containers/\(PathSegment.escapeName(id))/archive", query: [("path", path)],
                                             body: .bytes(tar, contentType: "application/x-tar"), isIdempotent: true))
    }

    /// `GET /containers/{id}/logs`: stdout and stderr lines, demultiplexed (or raw for TTY containers).
    /// With `follow` the sequence lasts until the container stops; stop iterating to close it.
    /// `since` is unix seconds; `tail` counts lines of both streams.
    public func logs(_ id: String, follow: Bool = false, since: Int64? = nil, tail: Int? = nil,
                     timestamps: Bool = false) async throws -> AsyncThrowingStream<LogLine, any Error> {
        let request = try await request("GET", "/containers/\(PathSegment.escapeName(id))/logs", query: [
            ("follow", follow ? "1" : nil), ("stdout", "1"), ("stderr", "1"),
            ("since", since.map(String.init)), ("tail", tail.map(String.init)), ("timestamps", timestamps ? "1" : nil),
        ])
        return transport.elements(request, decoder: LogLineDecoder())
    }
}
