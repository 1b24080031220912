extension WorkloadRuntime {
    /// How long `status` waits for a published port to accept a connection.
    static let reachabilityTimeout: Duration = .milliseconds(500)

    /// `ports` without the URL ports (http, http2) that do not accept a TCP connection right
    /// now: `status` never reports a URL that does not answer (after an engine restart, say, a
    /// port the engine still lists may have nothing behind it). Other ports are kept as they are.
    func answering(_ ports: [PublishedPort]) async -> [PublishedPort] {
        var kept: [PublishedPort] = []
        for port in ports {
            guard port.url != nil, ProbeRunner.isIPv4(port.hostIP) else {
                kept.append(port)
                continue
            }
            let host = ProbeRunner.dialable(port.hostIP)
            if case .success = await LoopbackHTTP.connects(host: host, port: port.hostPort, timeout: Self.reachabilityTimeout) {
                kept.append(port)
            }
        }
        return kept
    }
}
