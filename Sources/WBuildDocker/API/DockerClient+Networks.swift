extension DockerClient {
    /// `POST /networks/create` with `CheckDuplicate` (a second network of the same name is refused with 409).
    public func createNetwork(name: String, labels: [String: String] = [:], driver: String = "bridge") async throws -> String {
        struct Body: Encodable {
            var Name: String
            var Driver: String
            var CheckDuplicate = true
            var Labels: [String: String]
        }
        struct Created: Decodable { var Id: String }
        let request = try await request("POST", "/networks/create", body: Self.json(Body(Name: name, Driver: driver, Labels: labels)))
        return try await decoding(Created.self, request).Id
    }

    /// `POST /networks/{id}/connect`: attaches a container, reachable by `aliases` on that network.
    public func connectNetwork(_ network: String, container: String, aliases: [String] = []) async throws {
        struct Body: Encodable {
            struct Endpoint: Encodable { var Aliases: [String] }
            var Container: String
            var EndpointConfig: Endpoint
        }
        let body = try Self.json(Body(Container: container, EndpointConfig: .init(Aliases: aliases)))
        _ = try await transport.send(request("POST", "/networks/\(PathSegment.escapeName(network))/connect", body: body))
    }

    /// `POST /networks/{id}/disconnect`.
    public func disconnectNetwork(_ network: String, container: String, force: Bool = false) async throws {
        struct Body: Encodable {
            var Container: String
            var Force: Bool
        }
        let body = try Self.json(Body(Container: container, Force: force))
        _ = try await transport.send(request("POST", "/networks/\(PathSegment.escapeName(network))/disconnect", body: body))
    }

    /// `GET /networks?filters={"label":[…]}`.
    public func listNetworks(labels: [String] = []) async throws -> [NetworkSummary] {
        let filters = labels.isEmpty ? nil : JSONCoding.queryJSON(["label": labels])
        return try await decoding([NetworkSummary].self, request("GET", "/networks", query: [("filters", filters)]))
    }

    /// `DELETE /networks/{id}`; 403 while containers are attached.
    public func removeNetwork(_ id: String) async throws {
        _ = try await transport.send(request("DELETE", "/networks/\(PathSegment.escapeName(id))"))
    }

    /// `GET /volumes?filters={"label":[…]}`.
    public func listVolumes(labels: [String] = []) async throws -> [VolumeSummary] {
        struct Answer: Decodable { var Volumes: [VolumeSummary]? }
        let filters = labels.isEmpty ? nil : JSONCoding.queryJSON(["label": labels])
        return try await decoding(Answer.self, request("GET", "/volumes", query: [("filters", filters)])).Volumes ?? []
    }

    /// `POST /volumes/create`: a named local volume with `labels`. Creating one that exists
    /// returns it unchanged (the engine's behaviour), so this is idempotent.
    public func createVolume(name: String, labels: [String: String] = [:]) async throws {
        struct Body: Encodable {
            var Name: String
            var Driver = "local"
            var Labels: [String: String]
        }
        _ = try await transport.send(request("POST", "/volumes/create", body: Self.json(Body(Name: name, Labels: labels))))
    }

    /// `DELETE /volumes/{name}?force=`.
    public func removeVolume(_ name: String, force: Bool = false) async throws {
        _ = try await transport.send(request("DELETE", "/volumes/\(PathSegment.escapeName(name))", query: [("force", force ? "1" : nil)]))
    }
}
