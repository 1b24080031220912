import Foundation
import Glibc
import Synchronization
import Testing
import WBuildSystem
import WBuildTestSupport
import WBuildWorkloads

extension TestSocket {
    /// One HTTP response: its head, then its body by its framing (Content-Length, chunked with
    /// the raw chunked bytes kept, or to the end of the stream).
    func readResponse(head isHead: Bool = false) throws -> HTTPResponse {
        let headBytes = try read(through: Array("\r\n\r\n".utf8))
        var response = HTTPResponse(head: String(decoding: headBytes, as: UTF8.self))
        if response.status < 200 && response.status != 101 {
            return response
        }
        if isHead || response.status == 204 || response.status == 304 || response.status == 101 { return response }
        if let length = response.header("content-length").flatMap({ Int($0) }) {
            response.body = try read(exactly: length)
        } else if response.header("transfer-encoding")?.lowercased() == "chunked" {
            while true {
                let sizeLine = try read(through: [0x0D, 0x0A])
                response.raw += sizeLine
                let sizeText = String(decoding: sizeLine.dropLast(2), as: UTF8.self).split(separator: ";").first ?? ""
                guard let size = Int(sizeText, radix: 16) else { throw SocketTestError("bad chunk size \(sizeText)", errno: 0) }
                if size == 0 {
                    while true {
                        let line = try read(through: [0x0D, 0x0A])
                        response.raw += line
                        if line.count == 2 { break }
                        response.trailers.append(String(decoding: line.dropLast(2), as: UTF8.self))
                    }
                    break
                }
                let data = try read(exactly: size)
                response.body += data
                response.raw += data
                response.raw += try read(exactly: 2)
            }
        } else {
            let (bytes, end) = readToEnd()
            response.body = bytes
            response.closedBy = end
        }
        return response
    }
}

/// A response as a test client read it.
struct HTTPResponse {
    var head: String
    var body: [UInt8] = []
    /// For a chunked body: its bytes as sent, framing included.
    var raw: [UInt8] = []
    var trailers: [String] = []
    var closedBy: TestSocket.End?

    init(head: String) {
        self.head = head
    }

    var status: Int {
        let words = head.split(separator: " ", maxSplits: 2)
        return words.count > 1 ? Int(words[1]) ?? 0 : 0
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    var headerLines: [String] {
        head.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
    }

    /// The first header of that name (any case), its value trimmed.
    func header(_ name: String) -> String? {
        for line in headerLines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].lowercased() == name.lowercased() {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}

/// `wbuild-router` running on the host with `--bind 127.0.0.1`, on free ports, its secret in a
/// file of its own.
final class RouterProcess: Sendable {
    let child: ChildProcess
    let listenPort: Int
    let controlPort: Int
    let secret: String

    private init(child: ChildProcess, listenPort: Int, controlPort: Int, secret: String) {
        self.child = child
        self.listenPort = listenPort
        self.controlPort = controlPort
        self.secret = secret
    }

    static func secretToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Starts the router with `options` (e.g. `["--hold-ms", "200"]`); retries when a port it was
    /// given was taken in the meantime.
    static func start(secretFile: String, secret: String, options: [String]) async throws -> RouterProcess {
        let binary = try RouterBinary.resource.hostPath()
        for _ in 0..<5 {
            let listenPort = try freeLoopbackPort()
            let controlPort = try freeLoopbackPort()
            guard listenPort != controlPort else { continue }
            let arguments = [binary, "--bind", "127.0.0.1", "--listen", "\(listenPort)", "--control", "\(controlPort)",
                             "--secret-file", secretFile] + options
            let child = try ChildProcess.spawn(ProcessLaunch(.argv(arguments)))
            let router = RouterProcess(child: child, listenPort: listenPort, controlPort: controlPort, secret: secret)
            let answered = await BlockingWork.run(name: "router-test-ping") { router.answersPing() }
            if answered { return router }
            let status = await child.terminate(grace: .seconds(1))
            if status != .exited(1) {
                throw SocketTestError("wbuild-router did not come up (\(status)): \(router.standardError)", errno: 0)
            }
        }
        throw SocketTestError("wbuild-router found no free ports", errno: 0)
    }

    private func answersPing() -> Bool {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline && child.exitStatus == nil {
            if let control = try? control(), (try? control.command("HELLO")) == "OK wbuild-router 2" { return true }
            usleep(20_000)
        }
        return false
    }

    var standardError: String {
        child.tail.filter { $0.stream == .stderr }.map(\.line).joined(separator: "\n")
    }

    /// A control connection, authenticated.
    func control() throws -> RouterControl {
        let control = RouterControl(try TestSocket.connect(port: controlPort))
        let answer = try control.command("AUTH \(secret)")
        guard answer == "OK wbuild-router 2" else { throw SocketTestError("AUTH: \(answer)", errno: 0) }
        return control
    }

    /// Sends the lines on one fresh control connection; the replies.
    @discardableResult
    func commands(_ lines: [String]) throws -> [String] {
        let control = try control()
        defer { control.socket.close() }
        return try lines.map { try control.command($0) }
    }

    @discardableResult
    func command(_ line: String) throws -> String {
        try commands([line])[0]
    }

    /// Loads `rules` (`ROUTE` arguments, in order) as the live table.
    func load(_ rules: [String], fingerprint: String = "abc123") throws {
        let replies = try commands(["BEGIN \(fingerprint)"] + rules.map { "ROUTE \($0)" } + ["COMMIT"])
        guard replies.last == "OK \(rules.count)" else { throw SocketTestError("COMMIT: \(replies)", errno: 0) }
    }

    /// `SET` for a workload served by `servers` (all on one port), replicas numbered from 0.
    func set(_ workload: String, _ servers: [TestHTTPServer], state: String = "ready") throws {
        let port = servers.first?.port ?? 1
        let replicas = servers.enumerated().map { "\($0.offset)=\($0.element.address)" }.joined(separator: " ")
        let reply = try command("SET \(workload) \(port) http \(state)\(replicas.isEmpty ? "" : " " + replicas)")
        guard reply == "OK \(servers.count)" else { throw SocketTestError("SET: \(reply)", errno: 0) }
    }

    func connections(to address: String) throws -> Int {
        let reply = try command("CONNS \(address)")
        guard reply.hasPrefix("OK "), let count = Int(reply.dropFirst(3)) else { throw SocketTestError("CONNS: \(reply)", errno: 0) }
        return count
    }

    func connect(timeout: Int = 10) throws -> TestSocket {
        try TestSocket.connect(port: listenPort, timeout: timeout)
    }

    /// Runs `body` against a router started with `options`; stops it afterwards. `body` runs on
    /// a thread of its own, so it may block.
    static func with(options: [String] = [], _ body: @escaping @Sendable (RouterProcess) throws -> Void) async throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-router-secret")
        defer { directory.remove() }
        let secret = secretToken()
        let secretFile = try directory.write("secret", secret)
        guard chmod(secretFile, 0o400) == 0 else { throw SocketTestError("chmod") }
        let router = try await start(secretFile: secretFile, secret: secret, options: options)
        let outcome = await BlockingWork.run(name: "router-test") { () -> Result<Void, any Error> in
            Result { try body(router) }
        }
        let status = await router.child.terminate(grace: .seconds(2))
        try outcome.get()
        #expect(status == .exited(0), "SIGTERM: exit 0")
    }
}

/// A control connection.
final class RouterControl: Sendable {
    let socket: TestSocket

    init(_ socket: TestSocket) {
        self.socket = socket
    }

    func command(_ line: String) throws -> String {
        try socket.send(line + "\n")
        return try socket.readLine()
    }
}

/// A request as a test server received it.
struct ReceivedRequest: Sendable {
    var method: String
    var target: String
    var headers: [(name: String, value: String)]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// An HTTP/1.1 server standing in for a replica: a thread per connection, blocking sockets,
/// keep-alive. What it does depends on the path:
///   - `/echo...`: streams the request body back as it arrives (same framing: Content-Length
///     or chunked), full duplex;
///   - `/slow?ms=N`: answers after N ms;
///   - `/reset`: sends a head promising 1000 bytes and 10 of them, then resets the connection;
///   - `/trailers`: a chunked answer with a trailer;
///   - `/ws`: with Upgrade, 101 then echoes raw bytes until the client's end of stream;
///   - `/close`: a body delimited by the end of the connection; `/empty`: 204;
///   - `/once`: answers, then closes the connection it said nothing about closing;
///   - `/continue`: with Expect: 100-continue, sends 100 Continue, then reads the body and says
///     how long it was;
///   - anything else: 200 with a text body `backend <name>`, `<method> <target>` and the request's
///     headers, one a line.
final class TestHTTPServer: Sendable {
    let name: String
    let address: String
    let port: Int
    private let listener: Int32
    private let stopped = Atomic<Bool>(false)
    private let acceptedCount = Atomic<Int>(0)
    var accepted: Int { acceptedCount.load(ordering: .relaxed) }

    init(name: String, address: String = "127.0.0.1", port: Int = 0) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketTestError("socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var bound = socketAddress(address, port)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 512) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else {
            let error = SocketTestError("listen on \(address):\(port)")
            close(fd)
            throw error
        }
        self.name = name
        self.address = address
        self.port = Int(UInt16(bigEndian: bound.sin_port))
        self.listener = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.stackSize = 256 * 1024
        thread.start()
    }

    /// Servers named `names` on `addresses`, all on one port (replicas of one workload).
    static func group(_ names: [String], addresses: [String]) throws -> [TestHTTPServer] {
        var lastError: (any Error)?
        for _ in 0..<5 {
            var started: [TestHTTPServer] = []
            do {
                for (name, address) in zip(names, addresses) {
                    started.append(try TestHTTPServer(name: name, address: address, port: started.first?.port ?? 0))
                }
                return started
            } catch {
                started.forEach { $0.stop() }
                lastError = error
            }
        }
        throw lastError ?? SocketTestError("no servers", errno: 0)
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    private func acceptLoop() {
        defer { close(listener) }
        while !stopped.load(ordering: .relaxed) {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { continue }
            acceptedCount.add(1, ordering: .relaxed)
            let thread = Thread { [self] in serve(TestSocket(fd: fd, timeout: 10)) }
            thread.stackSize = 512 * 1024
            thread.start()
        }
    }

    private func serve(_ socket: TestSocket) {
        defer { socket.close() }
        while let request = try? readRequest(socket) {
            guard (try? respond(to: request, on: socket)) == true else { return }
            if request.header("connection")?.lowercased() == "close" { return }
        }
    }

    private func readRequest(_ socket: TestSocket) throws -> ReceivedRequest? {
        let head = String(decoding: try socket.read(through: Array("\r\n\r\n".utf8)), as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        guard let first = lines.first else { return nil }
        let words = first.split(separator: " ")
        guard words.count == 3 else { return nil }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return ReceivedRequest(method: String(words[0]), target: String(words[1]), headers: headers)
    }

    /// Reads the request body (if any) whole and discards it: its length.
    private func drainBody(_ request: ReceivedRequest, _ socket: TestSocket) throws -> Int {
        if let length = request.header("content-length").flatMap({ Int($0) }) {
            return try socket.read(exactly: length).count
        }
        if request.header("transfer-encoding")?.lowercased() == "chunked" {
            var total = 0
            while true {
                let line = try socket.read(through: [0x0D, 0x0A])
                let size = Int(String(decoding: line.dropLast(2), as: UTF8.self).split(separator: ";").first ?? "", radix: 16) ?? 0
                if size == 0 {
                    while try socket.read(through: [0x0D, 0x0A]).count > 2 {}
                    return total
                }
                total += try socket.read(exactly: size).count
                _ = try socket.read(exactly: 2)
            }
        }
        return 0
    }

    private func respond(to request: ReceivedRequest, on socket: TestSocket) throws -> Bool {
        let path = request.target.split(separator: "?").first.map(String.init) ?? request.target
        if path.hasPrefix("/echo") {
            return try echo(request, socket)
        }
        if path == "/reset" {
            _ = try drainBody(request, socket)
            try socket.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789")
            usleep(50_000)
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(socket.fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            return false
        }
        if path == "/trailers" {
            _ = try drainBody(request, socket)
            try socket.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n"
                            + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Checksum: 42\r\n\r\n")
            return true
        }
        if path == "/ws" && request.header("upgrade") != nil {
            try socket.send("HTTP/1.1 101 Switching Protocols\r\nUpgrade: \(request.header("upgrade") ?? "")\r\nConnection: Upgrade\r\n\r\n")
            while true {
                let bytes = try socket.read()
                if bytes.isEmpty { break }
                try socket.send(bytes)
            }
            socket.shutdownWrite()
            return false
        }
        if path == "/continue" {
            if request.header("expect")?.lowercased() == "100-continue" {
                try socket.send("HTTP/1.1 100 Continue\r\n\r\n")
            }
            let length = try drainBody(request, socket)
            let body = "got \(length) bytes\n"
            try socket.send("HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            return true
        }
        let length = try drainBody(request, socket)
        if path == "/once" {
            // Answers as if it kept the connection, then closes it: a backend's idle timeout.
            let body = "backend \(name)\nonce\n"
            try socket.send("HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            usleep(20_000)
            return false
        }
        if path == "/close" {
            // Neither a length nor chunked: the body runs to the end of the connection.
            try socket.send("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end")
            return false
        }
        if path == "/closereset" {
            // Close-delimited, then reset mid-body.
            try socket.send("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\npart of it")
            usleep(50_000)
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(socket.fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            return false
        }
        if path == "/empty" {
            try socket.send("HTTP/1.1 204 No Content\r\nX-Empty: yes\r\n\r\n")
            return true
        }
        if path == "/slow" {
            let milliseconds = request.target.split(separator: "=").last.flatMap { Int($0) } ?? 500
            usleep(UInt32(milliseconds * 1000))
        }
        var body = "backend \(name)\n\(request.method) \(request.target)\nbody \(length)\n"
        for header in request.headers { body += "\(header.name): \(header.value)\n" }
        try socket.send("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\n"
                        + "Connection: keep-alive, X-Backend-Hop\r\nX-Backend-Hop: secret\r\nKeep-Alive: timeout=5\r\n\r\n"
                        + (request.method == "HEAD" ? "" : body))
        return true
    }

    /// Streams the body back while it arrives: the same length, or chunk for chunk.
    private func echo(_ request: ReceivedRequest, _ socket: TestSocket) throws -> Bool {
        if let length = request.header("content-length").flatMap({ Int($0) }) {
            try socket.send("HTTP/1.1 200 OK\r\nContent-Length: \(length)\r\n\r\n")
            var left = length
            while left > 0 {
                let bytes = try socket.read(min(left, 65536))
                guard !bytes.isEmpty else { return false }
                try socket.send(bytes)
                left -= bytes.count
            }
            return true
        }
        try socket.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        while true {
            let line = try socket.read(through: [0x0D, 0x0A])
            let size = Int(String(decoding: line.dropLast(2), as: UTF8.self), radix: 16) ?? 0
            if size == 0 {
                while try socket.read(through: [0x0D, 0x0A]).count > 2 {}
                try socket.send("0\r\n\r\n")
                return true
            }
            let data = try socket.read(exactly: size)
            _ = try socket.read(exactly: 2)
            try socket.send(Array(String(size, radix: 16).utf8) + [0x0D, 0x0A] + data + [0x0D, 0x0A])
        }
    }
}

/// The backend named in a default answer's first line (`backend <name>`).
func backendName(_ response: HTTPResponse) -> String? {
    let first = response.text.split(separator: "\n").first ?? ""
    return first.hasPrefix("backend ") ? String(first.dropFirst(8)) : nil
}

/// `GET <target>` with a Host and extra header lines.
func get(_ target: String, host: String = "localhost", _ extra: [String] = [], method: String = "GET") -> String {
    "\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\n" + extra.map { $0 + "\r\n" }.joined() + "\r\n"
}

/// A TCP server that sends its name and "\n", then echoes every byte until the client's end of
/// stream, which it passes on: a backend that speaks HTTP/2 as far as a tunnel can tell.
final class RawEchoServer: Sendable {
    let name: String
    let port: Int
    private let listener: Int32
    private let stopped = Atomic<Bool>(false)

    init(name: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketTestError("socket") }
        var bound = socketAddress("127.0.0.1", 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else {
            close(fd)
            throw SocketTestError("listen")
        }
        self.name = name
        self.port = Int(UInt16(bigEndian: bound.sin_port))
        self.listener = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.stackSize = 256 * 1024
        thread.start()
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    private func acceptLoop() {
        defer { close(listener) }
        while !stopped.load(ordering: .relaxed) {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { continue }
            let thread = Thread { [name] in
                defer { close(fd) }
                guard sendAll(fd, Array("\(name)\n".utf8)) else { return }
                var buffer = [UInt8](repeating: 0, count: 65536)
                while true {
                    let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                    if got < 0 && errno == EINTR { continue }
                    if got <= 0 { break }
                    guard sendAll(fd, Array(buffer.prefix(got))) else { return }
                }
                shutdown(fd, Int32(SHUT_WR))
            }
            thread.stackSize = 256 * 1024
            thread.start()
        }
    }
}

/// HTTP/2 frames, for the h2c tests.
enum H2 {
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    static func frame(type: UInt8, flags: UInt8, stream: UInt32, _ payload: [UInt8]) -> [UInt8] {
        let length = payload.count
        return [UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff), type, flags,
                UInt8(stream >> 24 & 0x7f), UInt8(stream >> 16 & 0xff), UInt8(stream >> 8 & 0xff), UInt8(stream & 0xff)] + payload
    }

    static let settings = frame(type: 0x4, flags: 0, stream: 0, [0, 3, 0, 0, 0, 100])

    /// A literal string, not Huffman-coded (lengths under 127).
    static func string(_ text: String) -> [UInt8] {
        [UInt8(text.utf8.count)] + Array(text.utf8)
    }

    /// The client's first bytes: the preface, SETTINGS, and HEADERS carrying `block` (split into
    /// a HEADERS and a CONTINUATION frame when `split`).
    static func opening(_ block: [UInt8], split: Bool = false) -> [UInt8] {
        if split {
            let half = block.count / 2
            return preface + settings + frame(type: 0x1, flags: 0x1, stream: 1, Array(block[..<half]))
                + frame(type: 0x9, flags: 0x4, stream: 1, Array(block[half...]))
        }
        return preface + settings + frame(type: 0x1, flags: 0x5, stream: 1, block)
    }
}

/// A listener whose accept queue is full and never drained: the kernel drops further SYNs, so a
/// connect to it neither succeeds nor fails until it times out.
// @unchecked: `descriptors` is written in `init` and by `close()`, which the test that made it
// calls once, from its own thread, after every use of `port`; no other thread reads it.
final class Blackhole: @unchecked Sendable {
    private var descriptors: [Int32] = []
    let port: Int

    init(address: String) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw SocketTestError("socket") }
        descriptors.append(listener)
        var bound = socketAddress(address, 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 0) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        port = Int(UInt16(bigEndian: bound.sin_port))
        guard listening else {
            close()
            throw SocketTestError("listen on \(address)")
        }
        for _ in 0..<2 {  // a backlog of 0 queues one connection; the second finds the queue full
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard filler >= 0 else { continue }
            descriptors.append(filler)
            _ = withUnsafePointer(to: &bound) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        usleep(50_000)
    }

    func close() {
        descriptors.forEach { _ = Glibc.close($0) }
        descriptors = []
    }
}
