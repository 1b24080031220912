import Foundation
import Glibc
import Synchronization
import Testing
import WBuildSystem
import WBuildTestSupport
@testable import WBuildWorkloads

/// A socket call that failed in a door test.
struct DoorTestError: Error, CustomStringConvertible {
    var description: String
    /// The errno of the failed call; 0 when no call failed.
    var code: Int32

    init(_ what: String, errno code: Int32 = errno) {
        self.code = code
        description = code == 0 ? what : "\(what): \(String(cString: strerror(code)))"
    }
}

/// The IPv4 address `text` in network order, for `sockaddr_in`.
private func socketAddress(_ host: String, _ port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr(host)
    return address
}

/// A blocking TCP client socket with a receive timeout, so a test that waits for bytes that never
/// come fails instead of hanging. Used from one thread at a time.
final class TestSocket {
    /// How a read to the end of the stream ended.
    enum End: Equatable {
        case eof
        case reset
        case timeout
    }

    let fd: Int32
    private var pending: [UInt8] = []
    private var isOpen = true

    private init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        close()
    }

    func close() {
        if isOpen { Glibc.close(fd) }
        isOpen = false
    }

    static func connect(port: Int, host: String = "127.0.0.1", timeout: Int = 10) throws -> TestSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DoorTestError("socket") }
        let socket = TestSocket(fd: fd)
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = socketAddress(host, port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw DoorTestError("connect \(host):\(port)") }
        return socket
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { throw DoorTestError("send") }
            offset += sent
        }
    }

    /// Closes the connection with a reset (SO_LINGER 0) instead of an end of stream.
    func reset() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close()
    }

    /// Whether bytes (or the end of the stream) are waiting to be read, polling up to `milliseconds`.
    func isReadable(within milliseconds: Int32 = 0) -> Bool {
        if !pending.isEmpty { return true }
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, milliseconds) > 0
    }

    func shutdownWrite() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Up to `limit` bytes; empty at the end of the stream.
    func read(_ limit: Int = 65536) throws -> [UInt8] {
        if !pending.isEmpty {
            defer { pending = [] }
            return pending
        }
        var buffer = [UInt8](repeating: 0, count: limit)
        while true {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw DoorTestError("recv") }
            return Array(buffer.prefix(got))
        }
    }

    /// Exactly `count` bytes; throws when the stream ends first.
    func read(exactly count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < count {
            let chunk = try read(min(65536, count - bytes.count))
            guard !chunk.isEmpty else { throw DoorTestError("end of stream after \(bytes.count) of \(count) bytes", errno: 0) }
            bytes += chunk
        }
        return bytes
    }

    /// The next line, without its "\n".
    func readLine() throws -> String {
        var line: [UInt8] = []
        while true {
            let chunk = try read()
            guard !chunk.isEmpty else { throw DoorTestError("end of stream inside a line: \(String(decoding: line, as: UTF8.self))", errno: 0) }
            if let newline = chunk.firstIndex(of: 0x0A) {
                line += chunk[..<newline]
                pending = Array(chunk[(newline + 1)...])
                return String(decoding: line, as: UTF8.self)
            }
            line += chunk
        }
    }

    /// Everything until the stream ends, and how it ended.
    func readToEnd() -> (bytes: [UInt8], end: End) {
        var bytes: [UInt8] = []
        while true {
            do {
                let chunk = try read()
                if chunk.isEmpty { return (bytes, .eof) }
                bytes += chunk
            } catch let error as DoorTestError where error.code == EAGAIN || error.code == EWOULDBLOCK {
                return (bytes, .timeout)
            } catch {
                return (bytes, .reset)
            }
        }
    }
}

/// A TCP server on a loopback address standing in for a replica, accepting on a thread of its own
/// with a thread per connection (never the cooperative pool).
final class TestBackend: Sendable {
    /// What the server does with a connection.
    enum Mode: Sendable {
        /// Sends its address and "\n", then echoes every byte until the client's end of stream,
        /// which it passes on.
        case echo
        /// Reads until the client's end of stream, then sends everything back and closes.
        case replyAtEnd
        /// Sends its address and "\n", and once the client sends something, resets the connection
        /// (SO_LINGER 0): a server that crashed halfway through an answer.
        case greetAndReset
    }

    let address: String
    let port: Int
    let mode: Mode
    private let listener: Int32
    private let stopped = Atomic<Bool>(false)
    /// Connections accepted so far.
    var accepted: Int { acceptedCount.load(ordering: .relaxed) }
    private let acceptedCount = Atomic<Int>(0)
    /// Connections that ended in an error (a reset) rather than an end of stream.
    var resets: Int { resetCount.load(ordering: .relaxed) }
    private let resetCount = Atomic<Int>(0)

    /// Listens on `address`:`port` (0: any free port).
    init(address: String, port: Int, mode: Mode) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DoorTestError("socket") }
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
            let error = DoorTestError("listen on \(address):\(port)")
            close(fd)
            throw error
        }
        self.address = address
        self.port = Int(UInt16(bigEndian: bound.sin_port))
        self.mode = mode
        self.listener = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.stackSize = 256 * 1024
        thread.start()
    }

    /// Stops accepting (connections already accepted run until their client closes).
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
            let thread = Thread { [self] in serve(fd) }
            thread.stackSize = 256 * 1024
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        var received: [UInt8] = []
        if mode != .replyAtEnd, !Self.sendAll(fd, Array("\(address)\n".utf8)) { return }
        if mode == .greetAndReset {
            _ = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 1, 0) }
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            return
        }
        while true {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got < 0 && errno == EINTR { continue }
            if got < 0 {
                resetCount.add(1, ordering: .relaxed)
                return
            }
            if got == 0 { break }
            if mode == .echo {
                if !Self.sendAll(fd, Array(buffer.prefix(got))) { return }
            } else {
                received += buffer.prefix(got)
            }
        }
        if mode == .replyAtEnd, !Self.sendAll(fd, received) { return }
        shutdown(fd, Int32(SHUT_WR))
    }

    private static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// One server per address, all on the same port (as replicas of one workload are).
    static func group(_ addresses: [String], mode: Mode) throws -> [TestBackend] {
        var lastError: (any Error)?
        for _ in 0..<5 {
            var started: [TestBackend] = []
            do {
                for address in addresses {
                    started.append(try TestBackend(address: address, port: started.first?.port ?? 0, mode: mode))
                }
                return started
            } catch {
                started.forEach { $0.stop() }
                lastError = error
            }
        }
        throw lastError ?? DoorTestError("no backends", errno: 0)
    }
}

/// A listener whose accept queue is full and never drained: the kernel drops further SYNs, so a
/// connect to it neither succeeds nor fails until it times out.
final class Blackhole {
    private var descriptors: [Int32] = []

    init(address: String, port: Int) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw DoorTestError("socket") }
        descriptors.append(listener)
        var bound = socketAddress(address, port)
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && listen(listener, 0) == 0 }
        }
        guard listening else {
            let error = DoorTestError("listen on \(address):\(port)")
            close()
            throw error
        }
        for _ in 0..<2 {  // a backlog of 0 queues one connection; the second finds the queue full
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard filler >= 0 else { continue }
            descriptors.append(filler)
            _ = withUnsafePointer(to: &bound) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(filler, $0, length) }
            }
        }
        usleep(50_000)
    }

    func close() {
        descriptors.forEach { _ = Glibc.close($0) }
        descriptors = []
    }
}

/// `wbuild-door` running on the host with `--bind 127.0.0.1`, on free ports, with its secret in
/// a file of its own (mode 0400) as in a container.
struct DoorProcess: Sendable {
    let child: ChildProcess
    let listenPort: Int
    let controlPort: Int
    let secret: String
    let secretFile: String

    /// The built binary, found the way wbuild finds it.
    static func path() throws -> String {
        try DoorBinary.hostPath(workload: "door-test")
    }

    /// Starts the door forwarding a free port to `backendPort`; retries when a port it was given
    /// was taken in the meantime.
    /// With `descriptorLimit`, the door runs under `ulimit -n` of that many descriptors.
    /// Without `expectAnswer`, it returns once the control port accepts connections (a door
    /// without a secret answers no HELLO).
    static func start(backendPort: Int, secretFile: String, descriptorLimit: Int? = nil,
                      expectAnswer: Bool = true) async throws -> DoorProcess {
        let binary = try path()
        let secret = (try? String(contentsOfFile: secretFile, encoding: .utf8)) ?? ""
        for _ in 0..<5 {
            let listenPort = try freeLoopbackPort()
            let controlPort = try freeLoopbackPort()
            guard listenPort != controlPort else { continue }
            var arguments = [binary, "--bind", "127.0.0.1", "--control", "\(controlPort)", "--secret-file", secretFile,
                             "\(listenPort):\(backendPort)"]
            if let descriptorLimit {
                arguments = ["/bin/sh", "-c", "ulimit -n \(descriptorLimit) && exec \"$0\" \"$@\""] + arguments
            }
            let child = try ChildProcess.spawn(ProcessLaunch(.argv(arguments)))
            let door = DoorProcess(child: child, listenPort: listenPort, controlPort: controlPort, secret: secret,
                                   secretFile: secretFile)
            let answered = await BlockingWork.run(name: "door-test-ping") {
                expectAnswer ? door.answersPing() : door.acceptsConnections()
            }
            if answered { return door }
            let status = await child.terminate(grace: .seconds(1))
            if status != .exited(1) {
                throw DoorTestError("wbuild-door did not come up (\(status)): \(door.standardError)", errno: 0)
            }
        }
        throw DoorTestError("wbuild-door found no free ports", errno: 0)
    }

    /// Polls the control port until HELLO is answered, or the door exits, for up to 5 s.
    private func answersPing() -> Bool {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline && child.exitStatus == nil {
            if let control = try? control(), (try? control.command("HELLO")) == "OK wbuild-door 2" { return true }
            usleep(20_000)
        }
        return false
    }

    /// Polls the control port until it accepts a connection, or the door exits, for up to 5 s.
    private func acceptsConnections() -> Bool {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline && child.exitStatus == nil {
            if (try? TestSocket.connect(port: controlPort)) != nil { return true }
            usleep(20_000)
        }
        return false
    }

    /// CPU time the door has used so far, in clock ticks (user and system, from /proc).
    func cpuTicks() throws -> Int {
        let stat = try String(contentsOfFile: "/proc/\(child.pid)/stat", encoding: .utf8)
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else {
            throw DoorTestError("cannot read /proc/\(child.pid)/stat", errno: 0)
        }
        return user + system
    }

    /// What the door wrote to stderr (its last lines).
    var standardError: String {
        child.tail.filter { $0.stream == .stderr }.map(\.line).joined(separator: "\n")
    }

    /// A control connection, authenticated with the door's secret.
    func control() throws -> DoorControl {
        let control = DoorControl(try TestSocket.connect(port: controlPort))
        let answer = try control.command("AUTH \(secret)")
        guard answer == "OK wbuild-door 2" else { throw DoorTestError("AUTH: \(answer)", errno: 0) }
        return control
    }

    /// A client connection to the door's listen port.
    func connect() throws -> TestSocket {
        try TestSocket.connect(port: listenPort)
    }

    /// Sends one control command on a fresh connection and returns the reply.
    @discardableResult
    func command(_ line: String) throws -> String {
        try control().command(line)
    }

    /// Open forwarded connections to `backend`, as the door counts them.
    func connections(to backend: String) throws -> Int {
        let reply = try command("CONNS \(backend)")
        guard reply.hasPrefix("OK "), let count = Int(reply.dropFirst(3)) else {
            throw DoorTestError("CONNS \(backend): \(reply)", errno: 0)
        }
        return count
    }

    /// Runs `body` with a door in front of servers on `backends` (not yet in its set): the servers
    /// and the door are stopped afterwards, whether `body` threw or not. `body` runs on a thread
    /// of its own, so it may block.
    static func with(backends addresses: [String], mode: TestBackend.Mode = .echo,
                     descriptorLimit: Int? = nil, _ body: @escaping @Sendable (DoorProcess, [TestBackend]) throws -> Void) async throws {
        let backends = try await BlockingWork.run(name: "door-test-backends") { try TestBackend.group(addresses, mode: mode) }
        defer { backends.forEach { $0.stop() } }
        let directory = try TemporaryDirectory(prefix: "wbuild-door-secret")
        defer { directory.remove() }
        let secretFile = try DoorProcess.writeSecret(in: directory)
        let door = try await start(backendPort: backends.first?.port ?? 1, secretFile: secretFile, descriptorLimit: descriptorLimit)
        let outcome = await BlockingWork.run(name: "door-test") { () -> Result<Void, any Error> in
            Result { try body(door, backends) }
        }
        await door.child.terminate(grace: .seconds(2))
        try outcome.get()
    }
}

extension DoorProcess {
    /// A fresh secret in `directory`/secret, mode 0400, as wbuild writes it into a container; its path.
    static func writeSecret(in directory: TemporaryDirectory) throws -> String {
        try directory.write("secret", ControlEndpoint.freshToken())
        let path = directory.url("secret")
        guard chmod(path, 0o400) == 0 else { throw DoorTestError("chmod \(path)") }
        return path
    }
}

/// A control connection to the door.
final class DoorControl {
    let socket: TestSocket

    init(_ socket: TestSocket) {
        self.socket = socket
    }

    /// Sends `line` and returns the reply line.
    func command(_ line: String) throws -> String {
        try socket.send(line + "\n")
        return try socket.readLine()
    }
}

