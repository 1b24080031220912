import Foundation
import Glibc
import Testing
import WBuildRouter
import WBuildSystem
import WBuildTestSupport
import WBuildWorkloads

/// `wbuild-router` run on the host on 127.0.0.1 in front of test HTTP servers, as a user of the
/// project's routes would notice it: real bytes in and out.
@Suite("Router proxy")
struct RouterProxyTests {
    /// Two workloads on one router: `api` under /api (prefix stripped), `web` for the rest.
    private static func withTwoWorkloads(options: [String] = [], _ body: @escaping @Sendable (RouterProcess, TestHTTPServer, TestHTTPServer) throws -> Void) async throws {
        let api = try TestHTTPServer(name: "api")
        let web = try TestHTTPServer(name: "web")
        defer {
            api.stop()
            web.stop()
        }
        try await RouterProcess.with(options: options) { router in
            try router.load(["api prefix - 1 /api", "web prefix - 0 /"])
            try router.set("api", [api])
            try router.set("web", [web])
            try body(router, api, web)
        }
    }

    @Test("one keep-alive connection carries requests to two workloads, prefix stripped, X-Forwarded-* added, hop-by-hop dropped")
    func keepAliveSwitchesWorkloads() async throws {
        try await Self.withTwoWorkloads { router, api, web in
            let client = try router.connect()
            try client.send(get("/api/users?id=3", host: "app.localhost:8000",
                                ["X-Forwarded-For: 10.9.8.7", "Connection: keep-alive, X-Hop", "X-Hop: drop me", "Keep-Alive: timeout=9",
                                 "X-Kept: yes"]))
            let first = try client.readResponse()
            #expect(first.status == 200)
            #expect(backendName(first) == "api")
            let lines = first.text.split(separator: "\n").map(String.init)
            #expect(lines.contains("GET /users?id=3"))
            #expect(lines.contains("X-Forwarded-For: 10.9.8.7, 127.0.0.1"))
            #expect(lines.contains("X-Forwarded-Proto: http"))
            #expect(lines.contains("X-Forwarded-Host: app.localhost:8000"))
            #expect(lines.contains("X-Forwarded-Prefix: /api"))
            #expect(lines.contains("Host: app.localhost:8000"))
            #expect(lines.contains("X-Kept: yes"))
            #expect(!first.text.contains("X-Hop"), "a header named in Connection is not forwarded")
            #expect(!first.text.contains("Keep-Alive"))
            #expect(first.header("x-backend-hop") == nil, "the response's hop-by-hop headers are dropped too")
            #expect(first.header("keep-alive") == nil)
            #expect(first.header("connection") == "keep-alive")

            try client.send(get("/index.html"))
            let second = try client.readResponse()
            #expect(backendName(second) == "web")
            #expect(second.text.contains("GET /index.html\n"))
            #expect(!second.text.contains("X-Forwarded-Prefix"))

            try client.send(get("/more"))
            #expect(backendName(try client.readResponse()) == "web")
            #expect(web.accepted == 1, "the upstream connection to web was reused")

            try client.send(get("/api"))
            let fourth = try client.readResponse()
            #expect(backendName(fourth) == "api")
            #expect(fourth.text.contains("GET /\n"), "/api stripped is /")
            #expect(api.accepted == 2, "one upstream connection per client connection: the one to web took its place")
        }
    }

    @Test("8 MiB streamed both ways at once through an echo backend, sized and chunked", arguments: [false, true])
    func streamsBothWays(chunked: Bool) async throws {
        try await Self.withTwoWorkloads { router, _, _ in
            let payload = patternBytes(8 << 20, seed: chunked ? 7 : 42)
            let client = try router.connect()
            let head = chunked ? "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                               : "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: \(payload.count)\r\n\r\n"
            try client.send(head)
            let writer = Thread { [fd = client.fd] in
                var offset = 0
                while offset < payload.count {
                    let end = min(payload.count, offset + 100_000)
                    var bytes = Array(payload[offset..<end])
                    if chunked { bytes = Array(String(bytes.count, radix: 16).utf8) + [13, 10] + bytes + [13, 10] }
                    guard sendAll(fd, bytes) else { return }
                    offset = end
                }
                if chunked { _ = sendAll(fd, Array("0\r\n\r\n".utf8)) }
            }
            writer.start()
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.body.count == payload.count)
            #expect(response.body == payload, "bytes lost or reordered")
            if chunked { #expect(response.header("transfer-encoding") == "chunked") }
            // The connection goes on.
            try client.send(get("/after"))
            #expect(backendName(try client.readResponse()) == "web")
        }
    }

    @Test("a chunked response with trailers passes through byte for byte")
    func chunkedTrailers() async throws {
        try await Self.withTwoWorkloads { router, _, _ in
            let client = try router.connect()
            try client.send(get("/trailers"))
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "hello world")
            #expect(String(decoding: response.raw, as: UTF8.self) == "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Checksum: 42\r\n\r\n")
            #expect(response.header("trailer") == nil, "Trailer is hop-by-hop")
            try client.send(get("/next"))
            #expect(try client.readResponse().status == 200)
        }
    }

    @Test("an Upgrade answered 101 becomes a tunnel both ways (WebSocket)")
    func webSocketTunnel() async throws {
        try await Self.withTwoWorkloads { router, _, _ in
            let client = try router.connect()
            try client.send(get("/ws", ["Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13"]))
            let response = try client.readResponse()
            #expect(response.status == 101)
            #expect(response.header("upgrade") == "websocket")
            #expect(response.header("connection") == "Upgrade")
            try client.send("frame one\n")
            #expect(try client.readLine() == "frame one")
            #expect(try router.connections(to: "127.0.0.1") == 1, "a tunnel counts as an exchange in flight")
            try client.send("frame two\n")
            #expect(try client.readLine() == "frame two")
            client.shutdownWrite()
            let (rest, end) = client.readToEnd()
            #expect(rest.isEmpty && end == .eof)
        }
    }

    @Test("Expect: 100-continue: the backend's 100 reaches the client, then the real answer")
    func expectContinue() async throws {
        try await Self.withTwoWorkloads { router, _, _ in
            let client = try router.connect()
            try client.send("POST /continue HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try client.readResponse()
            #expect(interim.status == 100)
            try client.send("12345")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "got 5 bytes\n")
        }
    }

    @Test("too many or too large headers get 431, an over-long request line 414, and the connection is closed")
    func headerLimits() async throws {
        try await Self.withTwoWorkloads(options: ["--max-headers", "20", "--max-header-bytes", "4096"]) { router, _, _ in
            let many = try router.connect()
            try many.send(get("/", (0..<30).map { "X-H\($0): v" }))
            let tooMany = try many.readResponse()
            #expect(tooMany.status == 431)
            #expect(tooMany.header("connection") == "close")
            #expect(many.readToEnd().end == .eof)

            let large = try router.connect()
            try large.send(get("/", ["X-Big: " + String(repeating: "a", count: 5000)]))
            #expect(try large.readResponse().status == 431)

            let long = try router.connect()
            try long.send(get("/" + String(repeating: "b", count: 9000)))
            #expect(try long.readResponse().status == 414)

            let fine = try router.connect()
            try fine.send(get("/", (0..<10).map { "X-H\($0): v" }))
            #expect(try fine.readResponse().status == 200)
        }
    }

    @Test("a head that does not arrive within the header timeout gets 408; an idle keep-alive connection is closed silently")
    func slowAndIdleClients() async throws {
        try await Self.withTwoWorkloads(options: ["--header-timeout-ms", "300", "--idle-ms", "400"]) { router, _, _ in
            let slow = try router.connect()
            try slow.send("GET / HTTP/1.1\r\nHost: x\r\n")
            let started = ContinuousClock.now
            let response = try slow.readResponse()
            #expect(response.status == 408)
            #expect(ContinuousClock.now - started < .seconds(2))
            #expect(slow.readToEnd().end == .eof)

            let idle = try router.connect()
            try idle.send(get("/"))
            #expect(try idle.readResponse().status == 200)
            let (bytes, end) = idle.readToEnd()
            #expect(bytes.isEmpty && end == .eof, "closed without a byte")
        }
    }

    static let smuggling: [(name: String, request: String)] = [
        ("CL and TE", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        ("two Content-Lengths", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
        ("an unknown coding", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"),
        ("chunked not last", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"),
        ("whitespace before the colon", "GET / HTTP/1.1\r\nHost: x\r\nX-A : b\r\n\r\n"),
        ("obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX-A: b\r\n c\r\n\r\n"),
        ("no Host", "GET / HTTP/1.1\r\nX-A: b\r\n\r\n"),
        ("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        ("a bad method", "G(T / HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("a bad target", "GET http//x HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("a bad chunk size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
        ("a sign in Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello"),
    ]

    @Test("request smuggling attempts get 400 and the connection is closed", arguments: 0..<smuggling.count)
    func smugglingIsRefused(index: Int) async throws {
        let attempt = Self.smuggling[index]
        try await Self.withTwoWorkloads { router, _, _ in
            let client = try router.connect()
            try client.send(attempt.request)
            let response = try client.readResponse()
            #expect(response.status == 400, "\(attempt.name)")
            #expect(response.header("connection") == "close", "\(attempt.name)")
            #expect(client.readToEnd().end == .eof, "\(attempt.name)")
        }
    }

    @Test("200 connections at once are all served")
    func concurrentConnections() async throws {
        try await Self.withTwoWorkloads { router, _, _ in
            let clients = try (0..<200).map { _ in try router.connect() }
            for (index, client) in clients.enumerated() { try client.send(get("/c/\(index)")) }
            for (index, client) in clients.enumerated() {
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.text.contains("GET /c/\(index)\n"))
            }
        }
    }

    @Test("a backend that resets mid-response resets the client: the cut-off answer never looks complete")
    func backendResetResetsClient() async throws {
        try await Self.withTwoWorkloads { router, _, _ in
            let client = try router.connect()
            try client.send(get("/reset"))
            let head = String(decoding: try client.read(through: Array("\r\n\r\n".utf8)), as: UTF8.self)
            #expect(head.contains("Content-Length: 1000"))
            let (body, end) = client.readToEnd()
            #expect(body.count < 1000)
            #expect(end == .reset)
        }
    }

    @Test("a request for a workload without a ready replica is held, and served once a SET brings one")
    func holdThenServed() async throws {
        let api = try TestHTTPServer(name: "api")
        defer { api.stop() }
        try await RouterProcess.with(options: ["--hold-ms", "3000"]) { router in
            try router.load(["api prefix - 0 /"])
            try router.command("SET api \(api.port) http starting")
            let client = try router.connect()
            try client.send(get("/held"))
            #expect(!client.isReadable(within: 300), "held, not answered")
            let started = ContinuousClock.now
            try router.set("api", [api])
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(ContinuousClock.now - started < .milliseconds(500), "woken by the SET, not by polling")
        }
    }

    @Test("when the hold runs out: 503 naming the workload, its state and what to run")
    func holdRunsOut() async throws {
        try await RouterProcess.with(options: ["--hold-ms", "200"]) { router in
            try router.load(["api prefix - 0 /api", "web prefix - 0 /"])
            try router.command("SET api 9 http crash-looping")
            let client = try router.connect()
            try client.send(get("/api/x"))
            let response = try client.readResponse()
            #expect(response.status == 503)
            #expect(response.header("retry-after") == "1")
            #expect(response.header("content-type") == "text/plain; charset=utf-8")
            #expect(response.text == "api has no ready replica (crash-looping) after 200 ms; see `wbuild logs api`\n")
            try client.send(get("/"))
            let unknown = try client.readResponse()
            #expect(unknown.status == 503)
            #expect(unknown.text.contains("web has no ready replica (unknown)"))
        }
    }

    @Test("no rule matches: 404 listing the routes")
    func notFoundListsRoutes() async throws {
        try await RouterProcess.with { router in
            try router.load(["admin exact admin.localhost 0 /", "api prefix - 1 /api"])
            let client = try router.connect()
            try client.send(get("/other"))
            let response = try client.readResponse()
            #expect(response.status == 404)
            #expect(response.text.contains("admin.localhost/ (exact) → admin\n"))
            #expect(response.text.contains("/api (prefix, prefix stripped) → api\n"))
        }
    }

    @Test("every ready replica refusing: 502 naming the workload and replica")
    func allRefuse() async throws {
        try await RouterProcess.with { router in
            try router.load(["api prefix - 0 /"])
            try router.command("SET api 9 http ready 0=127.0.0.4")
            let client = try router.connect()
            try client.send(get("/"))
            let response = try client.readResponse()
            #expect(response.status == 502)
            #expect(response.text.contains("api"))
            #expect(response.text.contains("replica 0 (127.0.0.4:9) refused the connection"))
        }
    }

    @Test("SET drains: a slow request finishes on the old replica, new ones go to the new one, CONNS drops to 0")
    func setDrains() async throws {
        let servers = try TestHTTPServer.group(["old", "new"], addresses: ["127.0.0.2", "127.0.0.3"])
        defer { servers.forEach { $0.stop() } }
        try await RouterProcess.with { router in
            try router.load(["api prefix - 0 /"])
            try router.set("api", [servers[0]])
            let slow = try router.connect()
            try slow.send(get("/slow?ms=600"))
            #expect(waitUntil { (try? router.connections(to: "127.0.0.2")) == 1 })
            try router.command("SET api \(servers[1].port) http ready 1=127.0.0.3")
            let fresh = try router.connect()
            try fresh.send(get("/fresh"))
            #expect(backendName(try fresh.readResponse()) == "new")
            #expect(try router.connections(to: "127.0.0.2") == 1, "the slow one still runs")
            #expect(backendName(try slow.readResponse()) == "old")
            // The router sends the last byte before it counts the exchange finished.
            #expect(waitUntil { (try? router.connections(to: "127.0.0.2")) == 0 })
            // The kept-alive connection to the old replica carries no new request.
            try slow.send(get("/again"))
            #expect(backendName(try slow.readResponse()) == "new")
        }
    }

    @Test("COMMIT swaps the table while an open keep-alive connection goes on under the new one")
    func commitSwapsTable() async throws {
        try await Self.withTwoWorkloads { router, _, _ in
            let client = try router.connect()
            try client.send(get("/api/x"))
            #expect(backendName(try client.readResponse()) == "api")
            #expect(try router.command("TABLE") == "OK abc123 2")
            try router.load(["web prefix - 0 /"], fingerprint: "def456")
            #expect(try router.command("TABLE") == "OK def456 1")
            try client.send(get("/api/x"))
            #expect(backendName(try client.readResponse()) == "web")
        }
    }

    @Test("a table staged but not committed is discarded with its connection")
    func uncommittedTableIsDiscarded() async throws {
        try await RouterProcess.with { router throws in
            #expect(try router.command("TABLE") == "OK - 0")
            #expect(try router.commands(["BEGIN ff", "ROUTE a prefix - 0 /"]) == ["OK", "OK"])
            #expect(try router.command("TABLE") == "OK - 0")
            #expect(try router.commands(["ROUTE a prefix - 0 /"]) == ["ERR ROUTE before BEGIN"])
        }
    }

    @Test("EVENTS streams a REQ line per finished request")
    func eventsStream() async throws {
        try await Self.withTwoWorkloads { router, _, _ in
            let events = try router.control()
            #expect(try events.command("EVENTS") == "OK")
            usleep(50_000)
            let client = try router.connect()
            try client.send(get("/api/items?x=1"))
            _ = try client.readResponse()
            try client.send(get("/home"))
            _ = try client.readResponse()
            let first = try events.socket.readLine().split(separator: " ").map(String.init)
            let second = try events.socket.readLine().split(separator: " ").map(String.init)
            #expect(first.count == 7)
            #expect(first[0] == "REQ" && first[1] == "GET" && first[2] == "200" && Int(first[3]) != nil)
            #expect(Array(first[4...]) == ["api", "0", "/api/items?x=1"])
            #expect(Array(second[4...]) == ["web", "0", "/home"])
        }
    }

    @Test("the control port answers nothing without AUTH; malformed requests close it, unknown verbs do not")
    func controlNeedsAuth() async throws {
        try await RouterProcess.with { router in
            let stranger = try TestSocket.connect(port: router.controlPort)
            try stranger.send("HELLO\n")
            #expect(try stranger.readLine() == "ERR not authenticated")
            #expect(stranger.readToEnd().end == .eof)

            let wrong = try TestSocket.connect(port: router.controlPort)
            try wrong.send("AUTH \(String(repeating: "0", count: 64))\n")
            #expect(try wrong.readLine() == "ERR not authenticated")

            let control = try router.control()
            #expect(try control.command("NOPE") == "ERR unknown command")
            #expect(try control.command("SET api 80 http ready 0=1.2.3.4") == "OK 1")
            #expect(try control.command("CONNS 1.2.3.4") == "OK 0")
            #expect(try control.command("SET api 0 http ready").hasPrefix("ERR usage: SET"))
            #expect(control.socket.readToEnd().end == .eof)
        }
    }

    @Test("an HTTP/1.0 client is kept alive only with Connection: keep-alive")
    func http10KeepAlive() async throws {
        try await Self.withTwoWorkloads { router, _, _ in
            let plain = try router.connect()
            try plain.send("GET / HTTP/1.0\r\n\r\n")
            let response = try plain.readResponse()
            #expect(response.status == 200)
            #expect(response.header("connection") == "close")
            #expect(plain.readToEnd().end == .eof)

            let kept = try router.connect()
            try kept.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try kept.readResponse().header("connection") == "keep-alive")
            try kept.send("GET /two HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try kept.readResponse().status == 200)
        }
    }

    @Test("pipelined requests are answered in order")
    func pipelining() async throws {
        try await Self.withTwoWorkloads { router, _, _ in
            let client = try router.connect()
            try client.send(get("/api/one") + get("/two") + get("/api/three"))
            #expect(try client.readResponse().text.contains("GET /one\n"))
            #expect(try client.readResponse().text.contains("GET /two\n"))
            #expect(try client.readResponse().text.contains("GET /three\n"))
        }
    }

    @Test("a kept upstream connection the backend closed meanwhile is retried once on a fresh one for a bodiless request")
    func reusedUpstreamRetried() async throws {
        try await Self.withTwoWorkloads { router, _, web in
            let client = try router.connect()
            try client.send(get("/once"))
            #expect(try client.readResponse().text.contains("once"))
            usleep(50_000)
            try client.send(get("/after"))
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(backendName(response) == "web")
            #expect(web.accepted == 2)
        }
    }

    @Test("a request body that stalls past the body timeout aborts the exchange: the client is reset or closed")
    func bodyStallAborts() async throws {
        try await Self.withTwoWorkloads(options: ["--body-timeout-ms", "300"]) { router, _, _ in
            let client = try router.connect()
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")
            let started = ContinuousClock.now
            let head = String(decoding: try client.read(through: Array("\r\n\r\n".utf8)), as: UTF8.self)
            #expect(head.contains("Content-Length: 100"))
            let (body, end) = client.readToEnd()
            #expect(body.count == 10)
            #expect(end == .reset, "a cut-off response never looks complete")
            #expect(ContinuousClock.now - started < .seconds(3))
        }
    }

    /// Header blocks naming a host in each way HPACK can, and the workload each must reach.
    static let h2Blocks: [(name: String, block: [UInt8], split: Bool, workload: String)] = [
        // :method GET, :scheme http, :path /, then :authority (static name 1, incremental
        // indexing) Huffman-coded "www.example.com" (RFC 7541 C.4.1).
        ("huffman, indexed name", [0x82, 0x86, 0x84, 0x41, 0x8c, 0xf1, 0xe3, 0xc2, 0xe5, 0xf2, 0x3a, 0x6b, 0xa0, 0xab, 0x90, 0xf4, 0xff],
         false, "h2a"),
        // A never-indexed literal with its name spelled out.
        ("never indexed, literal name", [0x82, 0x10] + H2.string(":authority") + H2.string("b.localhost:8443"), false, "h2b"),
        // A dynamic table size update first, a user-agent added to the table, then host (static
        // name 38, without indexing), across HEADERS and CONTINUATION.
        ("size update, host, continuation", [0x3f, 0xe1, 0x1f, 0x82, 0x40] + H2.string("user-agent") + H2.string("test/1")
            + [0x0f, 0x17] + H2.string("x.shop.localhost"), true, "h2a"),
    ]

    @Test("h2c: a prior-knowledge connection is routed by its :authority to an h2 workload and tunnelled, bytes replayed",
          arguments: 0..<h2Blocks.count)
    func h2cRoutedByAuthority(index: Int) async throws {
        let h2a = try RawEchoServer(name: "h2a")
        let h2b = try RawEchoServer(name: "h2b")
        let web = try TestHTTPServer(name: "web")
        defer {
            h2a.stop()
            h2b.stop()
            web.stop()
        }
        let case_ = Self.h2Blocks[index]
        try await RouterProcess.with { router in
            try router.load(["web prefix www.example.com 0 /api", "h2a prefix www.example.com 0 /", "h2b prefix b.localhost 0 /",
                             "h2a prefix *.shop.localhost 0 /", "web prefix - 0 /"])
            try router.command("SET h2a \(h2a.port) h2 ready 0=127.0.0.1")
            try router.command("SET h2b \(h2b.port) h2 ready 0=127.0.0.1")
            try router.set("web", [web])
            let client = try router.connect()
            let opening = H2.opening(case_.block, split: case_.split)
            try client.send(opening)
            #expect(try client.readLine() == case_.workload, "\(case_.name)")
            #expect(try client.read(exactly: opening.count) == opening, "the bytes read for routing are replayed")
            try client.send([1, 2, 3, 4])
            #expect(try client.read(exactly: 4) == [1, 2, 3, 4])
            client.shutdownWrite()
            #expect(client.readToEnd().end == .eof)
        }
    }

    @Test("h2c for a host no h2 workload serves: SETTINGS, GOAWAY HTTP_1_1_REQUIRED, closed; HTTP/1 still works")
    func h2cWithoutRoute() async throws {
        try await Self.withTwoWorkloads { router, _, _ in
            let client = try router.connect()
            try client.send(H2.opening([0x82, 0x41] + H2.string("nowhere.localhost")))
            let (bytes, end) = client.readToEnd()
            #expect(end == .eof)
            #expect(bytes == H2.frame(type: 0x4, flags: 0, stream: 0, []) + H2.frame(type: 0x7, flags: 0, stream: 0, [0, 0, 0, 0, 0, 0, 0, 0xd]))
            let plain = try router.connect()
            try plain.send(get("/"))
            #expect(try plain.readResponse().status == 200)
        }
    }

    @Test("HEAD, 204 and a close-delimited body are framed right: the connection goes on, or is closed after the body")
    func bodilessAndCloseDelimited() async throws {
        try await Self.withTwoWorkloads { router, _, web in
            let client = try router.connect()
            try client.send(get("/page", method: "HEAD"))
            let head = try client.readResponse(head: true)
            #expect(head.status == 200 && head.header("content-length") != nil)
            try client.send(get("/empty"))
            let empty = try client.readResponse()
            #expect(empty.status == 204 && empty.header("x-empty") == "yes")
            try client.send(get("/after"))
            #expect(try client.readResponse().text.contains("GET /after\n"), "no body was waited for or left over")
            #expect(web.accepted == 1)

            try client.send(get("/close"))
            let rechunked = try client.readResponse()
            #expect(rechunked.header("transfer-encoding") == "chunked", "a close-delimited body goes to HTTP/1.1 as chunks")
            #expect(rechunked.header("connection") == "keep-alive")
            #expect(rechunked.text == "until the end")
            try client.send(get("/again"))
            #expect(try client.readResponse().text.contains("GET /again\n"), "the client connection outlives the backend's")
        }
    }

    @Test("an HTTP/1.0 client still gets a close-delimited body, closed after it")
    func closeDelimitedForHTTP10() async throws {
        try await Self.withTwoWorkloads { router, _, _ in
            let client = try router.connect()
            try client.send("GET /close HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n")
            let closing = try client.readResponse()
            #expect(closing.header("transfer-encoding") == nil)
            #expect(closing.header("connection") == "close")
            #expect(closing.text == "until the end")
            #expect(closing.closedBy == .eof)
        }
    }

    @Test("a close-delimited backend that resets mid-body resets the re-chunking client: never a clean last chunk")
    func rechunkedResetResetsClient() async throws {
        try await Self.withTwoWorkloads { router, _, _ in
            let client = try router.connect()
            try client.send(get("/closereset"))
            let head = String(decoding: try client.read(through: Array("\r\n\r\n".utf8)), as: UTF8.self)
            #expect(head.lowercased().contains("transfer-encoding: chunked"))
            let (body, end) = client.readToEnd()
            #expect(!String(decoding: body, as: UTF8.self).contains("0\r\n\r\n"))
            #expect(end == .reset)
        }
    }

    @Test("an absolute-form target is routed as its path on its authority, which replaces Host")
    func absoluteFormTarget() async throws {
        let admin = try TestHTTPServer(name: "admin")
        let web = try TestHTTPServer(name: "web")
        defer {
            admin.stop()
            web.stop()
        }
        try await RouterProcess.with { router in
            try router.load(["admin prefix admin.localhost 0 /", "web prefix - 0 /"])
            try router.set("admin", [admin])
            try router.set("web", [web])
            let client = try router.connect()
            try client.send("GET http://Admin.localhost:8000/panel?x=1 HTTP/1.1\r\nHost: other.localhost\r\n\r\n")
            let response = try client.readResponse()
            #expect(backendName(response) == "admin")
            let lines = response.text.split(separator: "\n").map(String.init)
            #expect(lines.contains("GET /panel?x=1"))
            #expect(lines.contains("Host: Admin.localhost:8000"))
            #expect(!lines.contains("Host: other.localhost"))
            try client.send("GET http://x.localhost HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().status == 400, "an authority without a path")
        }
    }

    @Test("the command line: bad arguments exit 2, a port taken exits 1 (SIGTERM exits 0: every test's router)")
    func commandLine() async throws {
        let binary = try RouterBinary.resource.hostPath()
        for arguments in [["--listen", "0"], ["--bogus", "1"], ["--hold-ms"], ["--listen", "7000", "--control", "7000"], ["--max-headers", "x"]] {
            let child = try ChildProcess.spawn(ProcessLaunch(.argv([binary] + arguments)))
            #expect(await child.wait() == .exited(2), "\(arguments)")
            #expect(child.tail.contains { $0.line.contains("usage: wbuild-router") }, "\(arguments)")
        }
        try await RouterProcess.with { router in
            let port = router.listenPort
            let control = try freeLoopbackPort()
            let clash = try ChildProcess.spawn(ProcessLaunch(.argv([binary, "--bind", "127.0.0.1", "--listen", "\(port)",
                                                                    "--control", "\(control)"])))
            #expect(waitUntil { clash.exitStatus != nil })
            #expect(clash.exitStatus == .exited(1))
            #expect(clash.tail.contains { $0.line.contains("cannot listen on 127.0.0.1:\(port)") })
        }
    }

    @Test("a replica that does not accept within 1 s is tried again while the hold lasts; then a 502 saying so")
    func connectTimeout() async throws {
        let hole = try Blackhole(address: "127.0.0.6")
        defer { hole.close() }
        try await RouterProcess.with(options: ["--hold-ms", "2500"]) { router in
            try router.load(["api prefix - 0 /"])
            try router.command("SET api \(hole.port) http ready 0=127.0.0.6")
            let client = try router.connect()
            let started = ContinuousClock.now
            try client.send(get("/"))
            let response = try client.readResponse()
            let waited = ContinuousClock.now - started
            #expect(response.status == 502)
            #expect(response.text.contains("replica 0 (127.0.0.6:\(hole.port)) did not answer within 1 s"))
            // Connects of 1 s each while another fits in the 2.5 s hold: two, so the 502 comes after 2 s, not 1.
            #expect(waited >= .milliseconds(1900) && waited < .seconds(4))
        }
    }
}
