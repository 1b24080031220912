import Synchronization
import WBuildSystem

/// HTTP/1.1 to one engine over blocking sockets, with a keep-alive pool. `execute` blocks and must
/// run on a dedicated thread (see `HTTPTransport+Async.swift`), never on the cooperative pool.
///
/// A request that fails because a *reused* connection was already dead (EPIPE/ECONNRESET on write,
/// or EOF/ECONNRESET before any response byte) is sent again once on a fresh connection when it is
/// idempotent and its body can be replayed.
final class HTTPTransport: Sendable {
    let host: DockerHost
    let pool: ConnectionPool
    private let opened = Atomic<Int>(0)
    private let active = Atomic<Int>(0)

    init(host: DockerHost, pool: ConnectionPool = ConnectionPool()) {
        self.host = host
        self.pool = pool
    }

    /// How many connections were opened so far (keep-alive reuse shows as a small number).
    var connectionsOpened: Int { opened.load(ordering: .relaxed) }

    /// How many requests are in flight (a cancelled stream's request leaves this count once its socket is shut down).
    var requestsInFlight: Int { active.load(ordering: .relaxed) }

    /// The peer closed a connection before answering; maybe retryable.
    private struct DroppedConnection: Error {
        var reason: String
    }

    /// Sends `request` and delivers the response head, then its body in pieces as they arrive.
    /// For statuses ≥ 400 the body is collected and thrown as a `DockerError` instead.
    func execute(_ request: HTTPRequest, cancellation: CancellationHandle,
                 onHead: (HTTPResponseHead) throws -> Void,
                 onBody: ([UInt8]) throws -> Void) throws -> HTTPResponseHead {
        active.add(1, ordering: .relaxed)
        defer { active.subtract(1, ordering: .relaxed) }
        var retried = false
        while true {
            let pooled = pool.take()
            let socket: EngineSocket
            if let pooled {
                socket = pooled
            } else {
                socket = try EngineSocket.connect(to: host)
                opened.add(1, ordering: .relaxed)
            }
            guard cancellation.attach(socket.fd) else {
                socket.close()
                throw cancelledError(request)
            }
            let outcome: ResponseOutcome
            let reusable: Bool
            do {
                (outcome, reusable) = try exchange(request, on: socket, onHead: onHead, onBody: onBody)
            } catch let dropped as DroppedConnection {
                cancellation.detach()
                socket.close()
                if cancellation.isCancelled { throw cancelledError(request) }
                if pooled != nil, !retried, request.isIdempotent, request.body.isReplayable {
                    retried = true
                    continue
                }
                throw DockerError(.protocolError, method: request.method, endpoint: request.target,
                                  message: "the engine closed the connection: \(dropped.reason)",
                                  hint: pooled != nil ? "the call is not safe to repeat automatically; retry it" : nil)
            } catch {
                cancellation.detach()
                socket.close()
                if cancellation.isCancelled { throw cancelledError(request) }
                throw error
            }
            cancellation.detach()
            if reusable, !request.hijacks, !cancellation.isCancelled {
                pool.give(socket)
            } else {
                socket.close()
            }
            if outcome.head.status >= 400 {
                throw DockerError.fromResponse(method: request.method, endpoint: request.target,
                                               status: outcome.head.status, body: outcome.errorBody)
            }
            return outcome.head
        }
    }

    /// A complete response: its head, and its body when the status is an error (≥ 400).
    private struct ResponseOutcome {
        var head: HTTPResponseHead
        var errorBody: [UInt8]
    }

    private func exchange(_ request: HTTPRequest, on socket: EngineSocket,
                          onHead: (HTTPResponseHead) throws -> Void,
                          onBody: ([UInt8]) throws -> Void) throws -> (ResponseOutcome, Bool) {
        try sendRequest(request, on: socket)
        var parser = HTTPResponseParser(requestMethod: request.method)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var receivedAny = false
        var head: HTTPResponseHead?
        var errorBody: [UInt8] = []
        func handle(_ events: [HTTPResponseParser.Event]) throws -> Bool? {
            for event in events {
                switch event {
                case .head(let value):
                    head = value
                    if value.status < 400 { try onHead(value) }
                case .body(let bytes):
                    if let head, head.status >= 400 { errorBody += bytes } else if !bytes.isEmpty { try onBody(bytes) }
                case .end(let reusable):
                    return reusable
                }
            }
            return nil
        }
        while true {
            let events: [HTTPResponseParser.Event]
            switch socket.receive(into: &buffer) {
            case .success(0):
                if !receivedAny { throw DroppedConnection(reason: "end of stream before any response byte") }
                do {
                    events = try parser.finish()
                } catch {
                    throw DockerError(.protocolError, method: request.method, endpoint: request.target, message: error.message)
                }
            case .success(let count):
                receivedAny = true
                do {
                    events = try parser.feed(buffer[..<count])
                } catch {
                    throw DockerError(.protocolError, method: request.method, endpoint: request.target, message: error.message)
                }
            case .failure(let errno):
                if !receivedAny, errno == .connectionReset || errno == .brokenPipe {
                    throw DroppedConnection(reason: "\(errno) before any response byte")
                }
                throw DockerError(.protocolError, method: request.method, endpoint: request.target,
                                  message: "reading the response failed: \(errno)")
            }
            if let reusable = try handle(events), let head {
                return (ResponseOutcome(head: head, errorBody: errorBody), reusable)
            }
        }
    }

    private func sendRequest(_ request: HTTPRequest, on socket: EngineSocket) throws {
        func send(_ bytes: [UInt8]) throws {
            if case .failure(let errno) = socket.send(bytes) {
                if errno == .brokenPipe || errno == .connectionReset {
                    throw DroppedConnection(reason: "\(errno) while sending the request")
                }
                throw DockerError(.protocolError, method: request.method, endpoint: request.target,
                                  message: "sending the request failed: \(errno)")
            }
        }
        switch request.body {
        case .empty:
            try send(request.serializedHead())
        case .bytes(let bytes, _):
            try send(request.serializedHead() + bytes)
        case .stream(_, let producer):
            try send(request.serializedHead())
            var pending: [UInt8] = []
            let flushSize = 64 * 1024
            func flush() throws {
                guard !pending.isEmpty else { return }
                try send(Array((String(pending.count, radix: 16) + "\r\n").utf8) + pending + [0x0D, 0x0A])
                pending.removeAll(keepingCapacity: true)
            }
            try producer { bytes in
                pending += bytes
                if pending.count >= flushSize { try flush() }
            }
            try flush()
            try send(Array("0\r\n\r\n".utf8))
        }
    }

    func cancelledError(_ request: HTTPRequest) -> DockerError {
        DockerError(.cancelled, method: request.method, endpoint: request.target, message: "cancelled")
    }
}
