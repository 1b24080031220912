import Synchronization

/// Idle keep-alive connections to one engine, reused newest first. Connections idle longer than
/// `maximumIdle` (the daemon drops them after about 5 minutes) or already closed by the peer are discarded.
final class ConnectionPool: Sendable {
    private struct IdleConnection {
        var fd: Int32
        var since: ContinuousClock.Instant
    }

    private let idle = Mutex<[IdleConnection]>([])
    let maximumIdleConnections: Int
    let maximumIdle: Duration

    init(maximumIdleConnections: Int = 8, maximumIdle: Duration = .seconds(240)) {
        self.maximumIdleConnections = maximumIdleConnections
        self.maximumIdle = maximumIdle
    }

    /// The most recently used idle connection that still looks open, if any.
    func take() -> EngineSocket? {
        let now = ContinuousClock.now
        while let candidate = idle.withLock({ $0.popLast() }) {
            let socket = EngineSocket(fd: candidate.fd)
            if now - candidate.since < maximumIdle, socket.isIdleAndOpen() { return socket }
            socket.close()
        }
        return nil
    }

    /// Returns a connection whose last response ended cleanly and may carry another request.
    func give(_ socket: EngineSocket) {
        let overflow: IdleConnection? = idle.withLock { list in
            list.append(IdleConnection(fd: socket.fd, since: .now))
            return list.count > maximumIdleConnections ? list.removeFirst() : nil
        }
        if let overflow { EngineSocket(fd: overflow.fd).close() }
    }

    var idleCount: Int { idle.withLock { $0.count } }

    /// Closes every idle connection.
    func closeAll() {
        let all = idle.withLock { list in
            defer { list.removeAll() }
            return list
        }
        for connection in all { EngineSocket(fd: connection.fd).close() }
    }

    deinit {
        closeAll()
    }
}
