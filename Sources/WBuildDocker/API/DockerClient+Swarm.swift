import Foundation

extension DockerClient {
    /// This engine's swarm membership (`GET /info`).
    public func swarmMembership() async throws -> SwarmMembership {
        struct Info: Decodable { var Swarm: SwarmMembership?; var RegistryConfig: EngineRegistryConfig? }
        let info = try await decoding(Info.self, request("GET", "/info"))
        registrySecurity.remember(info.RegistryConfig)
        guard let swarm = info.Swarm else {
            throw DockerError(.protocolError, method: "GET", endpoint: "/info", status: 200, message: "the engine reports no Swarm section")
        }
        return swarm
    }

    /// `POST /swarm/init`: makes this engine a one-node swarm's manager.
    public func initSwarm(advertiseAddress: String?) async throws {
        struct Body: Encodable {
            var ListenAddr = "0.0.0.0:2377"
            var AdvertiseAddr: String?
        }
        _ = try await transport.send(request("POST", "/swarm/init", body: Self.json(Body(AdvertiseAddr: advertiseAddress))))
    }

    /// `GET /services?filters={"label":[…]}`.
    public func listServices(labels: [String]) async throws -> [SwarmService] {
        try await decoding([SwarmService].self, request("GET", "/services", query: [("filters", JSONCoding.queryJSON(["label": labels]))]))
    }

    /// `POST /services/create`; `auth` lets every node pull a private image. Returns the id.
    public func createService(_ spec: SwarmServiceSpec, auth: RegistryAuth?) async throws -> String {
        struct Created: Decodable { var ID: String }
        let request = try await request("POST", "/services/create", body: Self.json(spec),
                                        headers: auth.map { [("X-Registry-Auth", $0.headerValue)] } ?? [])
        return try await decoding(Created.self, request).ID
    }

    /// `POST /services/{id}/update?version=N`: replaces the spec (Swarm rolls the tasks by the
    /// spec's `UpdateConfig`). A stale `version` is refused (another update came first).
    public func updateService(_ id: String, version: Int, spec: SwarmServiceSpec, auth: RegistryAuth?) async throws {
        _ = try await transport.send(request("POST", "/services/\(PathSegment.escapeName(id))/update",
                                             query: [("version", String(version))], body: Self.json(spec),
                                             headers: auth.map { [("X-Registry-Auth", $0.headerValue)] } ?? []))
    }

    /// `DELETE /services/{id}`.
    public func removeService(_ id: String) async throws {
        _ = try await transport.send(request("DELETE", "/services/\(PathSegment.escapeName(id))"))
    }

    /// `GET /tasks?filters={"service":[…]}` (every task the swarm still keeps, old ones too).
    public func listTasks(services: [String]) async throws -> [SwarmTask] {
        try await decoding([SwarmTask].self, request("GET", "/tasks", query: [("filters", JSONCoding.queryJSON(["service": services]))]))
    }

    /// `GET /nodes`.
    public func listNodes() async throws -> [SwarmNode] {
        try await decoding([SwarmNode].self, request("GET", "/nodes"))
    }

    /// `GET /secrets?filters={"label":[…]}`.
    public func listSecrets(labels: [String]) async throws -> [SwarmSecret] {
        try await decoding([SwarmSecret].self, request("GET", "/secrets", query: [("filters", JSONCoding.queryJSON(["label": labels]))]))
    }

    /// `POST /secrets/create`; the value travels base64-encoded in the body and nowhere else.
    public func createSecret(name: String, value: [UInt8], labels: [String: String]) async throws -> String {
        struct Body: Encodable {
            var Name: String
            var Labels: [String: String]
            var Data: String
        }
        struct Created: Decodable { var ID: String }
        let body = Body(Name: name, Labels: labels, Data: Foundation.Data(value).base64EncodedString())
        return try await decoding(Created.self, request("POST", "/secrets/create", body: Self.json(body))).ID
    }

    /// `DELETE /secrets/{id}`; refused while a service uses it.
    public func removeSecret(_ id: String) async throws {
        _ = try await transport.send(request("DELETE", "/secrets/\(PathSegment.escapeName(id))"))
    }

    /// `POST /networks/create` of an attachable overlay network (a swarm's, for its services and
    /// for containers started by hand to join).
    public func createOverlayNetwork(name: String, labels: [String: String]) async throws -> String {
        struct Body: Encodable {
            var Name: String
            var Driver = "overlay"
            var Attachable = true
            var CheckDuplicate = true
            var Labels: [String: String]
        }
        struct Created: Decodable { var Id: String }
        return try await decoding(Created.self, request("POST", "/networks/create", body: Self.json(Body(Name: name, Labels: labels)))).Id
    }

    /// The last `tail` lines a service's tasks wrote (`GET /services/{id}/logs`), stdout and
    /// stderr, without the stream framing.
    public func serviceLogs(_ id: String, tail: Int) async throws -> [String] {
        let request = try await request("GET", "/services/\(PathSegment.escapeName(id))/logs",
                                        query: [("stdout", "1"), ("stderr", "1"), ("tail", String(tail))])
        var lines: [String] = []
        for try await line in transport.elements(request, decoder: LogLineDecoder()) {
            lines.append(line.text)
        }
        return lines
    }
}
