import Testing
@testable import WBuildDocker

/// Everything one response produced: its head, the body bytes joined, how it ended.
private struct ParsedResponse: Equatable {
    var heads: [HTTPResponseHead] = []
    var body: [UInt8] = []
    var ends: [Bool] = []
}

private func parse(_ pieces: [[UInt8]], method: String = "GET", closeAtEnd: Bool = false) throws -> ParsedResponse {
    var parser = HTTPResponseParser(requestMethod: method)
    var events: [HTTPResponseParser.Event] = []
    for piece in pieces { events += try parser.feed(piece) }
    if closeAtEnd { events += try parser.finish() }
    var result = ParsedResponse()
    for event in events {
        switch event {
        case .head(let head): result.heads.append(head)
        case .body(let bytes): result.body += bytes
        case .end(let reusable): result.ends.append(reusable)
        }
    }
    return result
}

@Suite("HTTP response parser")
struct HTTPResponseParserTests {
    @Test("Content-Length body, at every split point")
    func contentLength() throws {
        let wire = Array("HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOKtrailing-garbage".utf8)
        for pieces in SplitFeeding.allPartitions(of: wire) {
            let parsed = try parse(pieces)
            #expect(parsed.heads.count == 1)
            #expect(parsed.heads.first?.status == 200)
            #expect(parsed.heads.first?.reason == "OK")
            #expect(parsed.heads.first?.headers["api-version"] == "1.41")
            #expect(parsed.heads.first?.headers["API-VERSION"] == "1.41")
            #expect(parsed.body == Array("OK".utf8))
            #expect(parsed.ends == [true])
        }
    }

    @Test("chunked body with extensions and trailers, at every split point")
    func chunked() throws {
        let wire = Array(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
            + "5;name=value\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n").utf8)
        for pieces in SplitFeeding.allPartitions(of: wire) {
            let parsed = try parse(pieces)
            #expect(parsed.body == Array("hello, world".utf8))
            #expect(parsed.ends == [true])
        }
    }

    @Test("a chunked decoder keeps the trailer fields")
    func trailers() throws {
        var decoder = ChunkedBodyDecoder()
        let wire = Array("3\r\nabc\r\n0\r\nX-Checksum: 42\r\n\r\nNEXT".utf8)
        let (data, consumed) = try decoder.feed(wire[...])
        #expect(data == Array("abc".utf8))
        #expect(decoder.isComplete)
        #expect(decoder.trailers["x-checksum"] == "42")
        #expect(consumed == wire.count - 4)
    }

    @Test("204, 304 and HEAD responses have no body even with a Content-Length")
    func noBody() throws {
        let noContent = Array("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n".utf8)
        let notModified = Array("HTTP/1.1 304 Not Modified\r\n\r\n".utf8)
        let head = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n".utf8)
        for pieces in SplitFeeding.allPartitions(of: noContent) {
            #expect(try parse(pieces) == ParsedResponse(heads: [HTTPResponseHead(status: 204, reason: "No Content", headers: HTTPHeaders([("Content-Length", "10")]))], ends: [true]))
        }
        for pieces in SplitFeeding.allPartitions(of: notModified) {
            #expect(try parse(pieces).ends == [true])
        }
        for pieces in SplitFeeding.allPartitions(of: head) {
            let parsed = try parse(pieces, method: "HEAD")
            #expect(parsed.body.isEmpty)
            #expect(parsed.ends == [true])
        }
    }

    @Test("a hijacked 101 response is read until the peer closes, and is not reusable")
    func hijacked() throws {
        let wire = Array("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n\u{1}\0\0\0\0\0\0\u{3}hi\n".utf8)
        for pieces in SplitFeeding.allPartitions(of: wire) {
            let parsed = try parse(pieces, method: "POST", closeAtEnd: true)
            #expect(parsed.heads.first?.status == 101)
            #expect(parsed.body == [1, 0, 0, 0, 0, 0, 0, 3] + Array("hi\n".utf8))
            #expect(parsed.ends == [false])
        }
    }

    @Test("a 200 without length or chunking is read until close")
    func untilClose() throws {
        let wire = Array("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\nraw bytes".utf8)
        for pieces in SplitFeeding.allPartitions(of: wire) {
            let parsed = try parse(pieces, closeAtEnd: true)
            #expect(parsed.body == Array("raw bytes".utf8))
            #expect(parsed.ends == [false])
        }
    }

    @Test("100 Continue is skipped")
    func interim() throws {
        let wire = Array("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n".utf8)
        for pieces in SplitFeeding.allPartitions(of: wire) {
            let parsed = try parse(pieces)
            #expect(parsed.heads.map(\.status) == [201])
            #expect(parsed.ends == [true])
        }
    }

    @Test("Connection: close makes the connection not reusable")
    func connectionClose() throws {
        let parsed = try parse([Array("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 3\r\n\r\nbad".utf8)])
        #expect(parsed.ends == [false])
    }

    @Test("a connection closed mid-body or before any byte is an error")
    func truncated() throws {
        var parser = HTTPResponseParser()
        _ = try parser.feed(Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".utf8))
        #expect(throws: HTTPParseError.self) { try parser.finish() }
        var empty = HTTPResponseParser()
        #expect(throws: HTTPParseError("connection closed before any response")) { try empty.finish() }
    }

    @Test("garbage status lines and chunk sizes are rejected")
    func malformed() throws {
        var parser = HTTPResponseParser()
        #expect(throws: HTTPParseError.self) { try parser.feed(Array("SMTP ready\r\n\r\n".utf8)) }
        var chunked = HTTPResponseParser()
        #expect(throws: HTTPParseError.self) {
            try chunked.feed(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".utf8))
        }
    }
}
