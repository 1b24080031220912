import Foundation

/// Parses HTTP/1.1 responses from bytes that arrive in arbitrary pieces, yielding the head,
/// body data and the end of each response.
///
/// Body framing follows RFC 9112 §6.3: no body for `HEAD` requests and 1xx/204/304; chunked when
/// `Transfer-Encoding` says so; `Content-Length` bytes when given; otherwise (and always after
/// `101 Switching Protocols`, i.e. a hijacked connection) until the peer closes, which `finish()` reports.
/// Interim `100 Continue` heads are skipped.
public struct HTTPResponseParser: Sendable {
    /// What the parser found in the bytes fed so far.
    public enum Event: Sendable, Equatable {
        case head(HTTPResponseHead)
        case body([UInt8])
        /// The response is complete; `reusable` says whether the connection may carry another request.
        case end(reusable: Bool)
    }

    enum Body: Sendable {
        case length(remaining: Int)
        case chunked(ChunkedBodyDecoder)
        case untilClose
    }

    enum State: Sendable {
        case head
        case body(Body, keepAlive: Bool)
        case done
    }

    private let requestMethod: String
    private var state: State = .head
    private var headBuffer: [UInt8] = []
    static let maximumHeadLength = 64 * 1024

    public init(requestMethod: String = "GET") {
        self.requestMethod = requestMethod.uppercased()
    }

    /// True once a complete response was parsed (bytes fed later are ignored).
    public var isComplete: Bool {
        if case .done = state { return true }
        return false
    }

    /// Consumes `bytes` and returns the events they complete.
    public mutating func feed<C: Collection<UInt8>>(_ bytes: C) throws(HTTPParseError) -> [Event] {
        var events: [Event] = []
        var input = ArraySlice(bytes)
        while !input.isEmpty {
            switch state {
            case .done:
                return events
            case .head:
                input = try consumeHead(input, into: &events)
            case .body(let body, let keepAlive):
                switch body {
                case .untilClose:
                    events.append(.body(Array(input)))
                    input = []
                case .length(let remaining):
                    let take = min(remaining, input.count)
                    events.append(.body(Array(input.prefix(take))))
                    input = input.dropFirst(take)
                    if remaining - take == 0 {
                        finishBody(keepAlive: keepAlive, into: &events)
                    } else {
                        state = .body(.length(remaining: remaining - take), keepAlive: keepAlive)
                    }
                case .chunked(var decoder):
                    let (data, consumed) = try decoder.feed(input)
                    input = input.dropFirst(consumed)
                    if !data.isEmpty { events.append(.body(data)) }
                    if decoder.isComplete {
                        finishBody(keepAlive: keepAlive, into: &events)
                    } else {
                        state = .body(.chunked(decoder), keepAlive: keepAlive)
                    }
                }
            }
        }
        return events
    }

    /// Reports that the peer closed the connection. Completes an until-close body; anything else
    /// cut short is an error.
    public mutating func finish() throws(HTTPParseError) -> [Event] {
        switch state {
        case .done:
            return []
        case .body(.untilClose, _):
            state = .done
            return [.end(reusable: false)]
        case .head where headBuffer.isEmpty:
            throw HTTPParseError("connection closed before any response")
        case .head:
            throw HTTPParseError("connection closed in the middle of the response head")
        case .body:
            throw HTTPParseError("connection closed in the middle of the response body")
        }
    }

    private mutating func finishBody(keepAlive: Bool, into events: inout [Event]) {
        state = .done
        events.append(.end(reusable: keepAlive))
    }

    private mutating func consumeHead(_ input: ArraySlice<UInt8>, into events: inout [Event]) throws(HTTPParseError) -> ArraySlice<UInt8> {
        var index = input.startIndex
        while index < input.endIndex {
            let byte = input[index]
            index += 1
            headBuffer.append(byte)
            if byte == UInt8(ascii: "\n"), headBuffer.count >= 2, endsHead() {
                let head = try Self.parseHead(headBuffer)
                headBuffer.removeAll()
                if head.status >= 100, head.status < 200, head.status != 101 {
                    continue  // interim response such as 100 Continue
                }
                events.append(.head(head))
                startBody(for: head, into: &events)
                return input[index...]
            }
            guard headBuffer.count <= Self.maximumHeadLength else {
                throw HTTPParseError("response head longer than \(Self.maximumHeadLength) bytes")
            }
        }
        return []
    }

    private func endsHead() -> Bool {
        let count = headBuffer.count
        if headBuffer[count - 2] == UInt8(ascii: "\n") { return true }
        return count >= 4 && headBuffer[count - 2] == UInt8(ascii: "\r") && headBuffer[count - 3] == UInt8(ascii: "\n")
    }

    private mutating func startBody(for head: HTTPResponseHead, into events: inout [Event]) {
        let keepAlive = head.keepsConnectionAlive
        if head.status == 101 {
            state = .body(.untilClose, keepAlive: false)
        } else if requestMethod == "HEAD" || head.status == 204 || head.status == 304 {
            finishBody(keepAlive: keepAlive, into: &events)
        } else if head.headers.contains("Transfer-Encoding", token: "chunked") {
            state = .body(.chunked(ChunkedBodyDecoder()), keepAlive: keepAlive)
        } else if let text = head.headers["Content-Length"], let length = Int(text.trimmingCharacters(in: .whitespaces)), length >= 0 {
            if length == 0 {
                finishBody(keepAlive: keepAlive, into: &events)
            } else {
                state = .body(.length(remaining: length), keepAlive: keepAlive)
            }
        } else {
            state = .body(.untilClose, keepAlive: false)
        }
    }

    static func parseHead(_ bytes: [UInt8]) throws(HTTPParseError) -> HTTPResponseHead {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            line.last == UInt8(ascii: "\r") ? line.dropLast() : line
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let statusLine = lines.first else { throw HTTPParseError("empty response head") }
        let parts = statusLine.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
        let version = String(decoding: parts[0], as: UTF8.self)
        guard version.hasPrefix("HTTP/1."), parts.count >= 2,
              let status = Int(String(decoding: parts[1], as: UTF8.self)), (100...999).contains(status) else {
            throw HTTPParseError("bad status line \"\(String(decoding: statusLine, as: UTF8.self))\"")
        }
        let reason = parts.count > 2 ? String(decoding: parts[2], as: UTF8.self) : ""
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            guard let field = parseField(line) else {
                throw HTTPParseError("bad header line \"\(String(decoding: line, as: UTF8.self))\"")
            }
            headers.add(field.name, field.value)
        }
        return HTTPResponseHead(version: version, status: status, reason: reason, headers: headers)
    }

    static func parseField<C: Collection<UInt8>>(_ line: C) -> (name: String, value: String)? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon != line.startIndex else { return nil }
        let name = String(decoding: line[..<colon], as: UTF8.self)
        guard !name.contains(" ") else { return nil }
        let value = String(decoding: line[line.index(after: colon)...], as: UTF8.self)
        return (name, value.trimmingCharacters(in: .whitespaces))
    }
}
