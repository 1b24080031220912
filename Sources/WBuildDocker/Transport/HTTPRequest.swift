/// The body of a request to the engine.
enum RequestBody: Sendable {
    case empty
    /// Bytes sent with `Content-Length`.
    case bytes([UInt8], contentType: String)
    /// Bytes produced on the fly and sent with `Transfer-Encoding: chunked` (build contexts).
    /// The producer runs on the transport's thread and calls `write` for each piece.
    case stream(contentType: String, producer: @Sendable (_ write: @escaping ([UInt8]) throws -> Void) throws -> Void)

    /// Whether the body can be sent again after a dropped connection.
    var isReplayable: Bool {
        if case .stream = self { return false }
        return true
    }
}

/// One HTTP/1.1 request to the engine. `target` is the full request target (path and query);
/// it goes on the wire only. Anything shown to people names the request by `call`
/// (`POST /build`), since query values carry build arguments and other settings.
struct HTTPRequest: Sendable {
    var method: String
    var target: String
    var headers: [(name: String, value: String)]
    var body: RequestBody
    /// Safe to send twice: retried once on a fresh connection when a reused one turns out dead.
    /// True by default for GET, HEAD and DELETE.
    var isIdempotent: Bool
    /// The response takes over the connection (exec start, attach): read until EOF, never reuse.
    var hijacks: Bool

    init(method: String, target: String, headers: [(name: String, value: String)] = [],
                body: RequestBody = .empty, isIdempotent: Bool? = nil, hijacks: Bool = false) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.isIdempotent = isIdempotent ?? ["GET", "HEAD", "DELETE"].contains(method)
        self.hijacks = hijacks
    }

    /// The request line and headers, ending with the blank line.
    func serializedHead() -> [UInt8] {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: docker\r\nUser-Agent: wbuild\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        switch body {
        case .empty:
            if method == "POST" || method == "PUT" { text += "Content-Length: 0\r\n" }
        case .bytes(let bytes, let contentType):
            text += "Content-Type: \(contentType)\r\nContent-Length: \(bytes.count)\r\n"
        case .stream(let contentType, _):
            text += "Content-Type: \(contentType)\r\nTransfer-Encoding: chunked\r\n"
        }
        if hijacks { text += "Connection: Upgrade\r\nUpgrade: tcp\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }
}
