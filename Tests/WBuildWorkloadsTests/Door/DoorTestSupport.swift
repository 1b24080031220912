import Foundation
import Glibc
import Synchronization
import Testing
import WBuildSystem
import WBuildTestSupport
@testable import WBuildWorkloads

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
        if mode != .replyAtEnd, !sendAll(fd, Array("\(address)\n".utf8)) { return }
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
                if !sendAll(fd, Array(buffer.prefix(got))) { return }
            } else {
                received += buffer.prefix(got)
            }
        }
        if mode == .replyAtEnd, !sendAll(fd, received) { return }
        shutdown(fd, Int32(SHUT_WR))
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
        throw lastError ?? SocketTestError("no backends", errno: 0)
    }
}

/// A listener whose accept queue is full and never drained: the kernel drops further SYNs, so a
/// connect to it neither succeeds nor fails until it times out.
final class Blackhole {
    private var descriptors: [Int32] = []

    init(address: String, port: Int) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw SocketTestError("socket") }
        descriptors.append(listener)
        var bound = socketAddress(address, port)
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && listen(listener, 0) == 0 }
        }
        guard listening else {
            let error = SocketTestError("listen on \(address):\(port)")
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
                throw SocketTestError("wbuild-door did not come up (\(status)): \(door.standardError)", errno: 0)
            }
        }
        throw SocketTestError("wbuild-door found no free ports", errno: 0)
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
            throw SocketTestError("cannot read /proc/\(child.pid)/stat", errno: 0)
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
        guard answer == "OK wbuild-door 2" else { throw SocketTestError("AUTH: \(answer)", errno: 0) }
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
            throw SocketTestError("CONNS \(backend): \(reply)", errno: 0)
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
        guard chmod(path, 0o400) == 0 else { throw SocketTestError("chmod \(path)") }
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

