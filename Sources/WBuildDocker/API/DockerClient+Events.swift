extension DockerClient {
    /// `GET /events?filters=&since=&until=`: engine events as they happen. Filter by `event` as well
    /// (healthchecks flood `exec_*` events), e.g. `["type": ["container"], "label": ["k=v"], "event": ["start", "die"]]`.
    /// With `until` the engine replays and ends the stream; otherwise stop iterating to close it.
    public func events(filters: [String: [String]] = [:], since: Int64? = nil,
                       until: Int64? = nil) async throws -> AsyncThrowingStream<DockerEvent, any Error> {
        let request = try await request("GET", "/events", query: [
            ("filters", filters.isEmpty ? nil : JSONCoding.queryJSON(filters)),
            ("since", since.map(String.init)), ("until", until.map(String.init)),
        ])
        return transport.elements(request, decoder: JSONLinesDecoder<DockerEvent>())
    }
}
