#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

/// Where an attached exec reads its input and writes its output: file descriptors the caller
/// owns (`wbuild exec` passes 0, 1 and 2).
public struct ExecStreams: Sendable {
    public var stdin: Int32
    public var stdout: Int32
    public var stderr: Int32

    public init(stdin: Int32 = 0, stdout: Int32 = 1, stderr: Int32 = 2) {
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
    }
}

extension DockerClient {
    /// Runs `command` in a running container attached to `streams`, like `docker exec -i [-t]`:
    /// `POST /containers/{id}/exec`, then `POST /exec/{id}/start` on a connection of its own that
    /// the engine upgrades to a raw stream. Input is copied from `streams.stdin` until it ends (then
    /// the write side is shut, which the command sees as end of input); output goes to
    /// `streams.stdout` / `streams.stderr` (demultiplexed, or raw with a `tty`). With a `tty` of
    /// `rows`×`columns` the exec's terminal is sized to it. Returns the command's exit code.
    ///
    /// All blocking reads and writes run on dedicated threads.
    public func execAttached(_ container: String, command: [String], tty: Bool, size: (rows: Int, columns: Int)? = nil,
                             streams: ExecStreams = ExecStreams()) async throws -> Int {
        struct CreateBody: Encodable {
            var AttachStdin = true
            var AttachStdout = true
            var AttachStderr = true
            var Tty: Bool
            var Cmd: [String]
        }
        struct Created: Decodable { var Id: String }
        struct StartBody: Encodable {
            var Detach = false
            var Tty: Bool
        }
        let create = try await request("POST", "/containers/\(PathSegment.escapeName(container))/exec",
                                       body: Self.json(CreateBody(Tty: tty, Cmd: command)))
        let execID = try await decoding(Created.self, create).Id
        let start = try await request("POST", "/exec/\(execID)/start", body: Self.json(StartBody(Tty: tty)), hijacks: true)
        var resize: HTTPRequest?
        if tty, let size {
            resize = try await request("POST", "/exec/\(execID)/resize", query: [("h", String(size.rows)), ("w", String(size.columns))])
        }
        let socket = try await BlockingWork.run(name: "wbuild-exec-connect") { () throws -> EngineSocket in
            try ExecSession.open(start, host: self.transport.host)
        }
        if let resize { _ = try? await transport.send(resize) }
        let session = ExecSession(socket: socket, tty: tty, streams: streams, request: start)
        try await session.run()
        return try await execExitCode(execID)
    }

    /// The exit code of a finished exec (`GET /exec/{id}/json`), waiting briefly for the engine to record it.
    func execExitCode(_ execID: String) async throws -> Int {
        struct Inspected: Decodable {
            var Running: Bool
            var ExitCode: Int?
        }
        let inspect = try await request("GET", "/exec/\(execID)/json")
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            let inspected = try await decoding(Inspected.self, inspect)
            if let exitCode = inspected.ExitCode, !inspected.Running { return exitCode }
            guard ContinuousClock.now < deadline else {
                throw DockerError(.protocolError, method: inspect.method, endpoint: inspect.target,
                                  message: "the exec's output ended but the engine still reports it running")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// The two pumps of an attached exec over its upgraded connection: input → engine on one thread,
/// engine → output on another. Ends when the engine closes the stream (the command exited).
struct ExecSession: Sendable {
    let socket: EngineSocket
    let tty: Bool
    let streams: ExecStreams
    let request: HTTPRequest

    /// Connects, sends the start request and reads the response head (101, or 200 from older
    /// engines); an error status is thrown with the engine's message.
    static func open(_ request: HTTPRequest, host: DockerHost) throws -> EngineSocket {
        let socket = try EngineSocket.connect(to: host)
        var bytes = request.serializedHead()
        if case .bytes(let body, _) = request.body { bytes += body }
        if case .failure(let errno) = socket.send(bytes) {
            socket.close()
            throw DockerError(.protocolError, method: request.method, endpoint: request.target, message: "sending the exec start: \(errno)")
        }
        var head: [UInt8] = []
        var byte = [UInt8](repeating: 0, count: 1)
        // Byte by byte up to the blank line, so no stream byte is consumed with the head.
        while head.suffix(4) != [13, 10, 13, 10] {
            guard case .success(let count) = socket.receive(into: &byte), count == 1 else {
                socket.close()
                throw DockerError(.protocolError, method: request.method, endpoint: request.target,
                                  message: "the engine closed the connection before answering the exec start")
            }
            head.append(byte[0])
            if head.count > 64 * 1024 { break }
        }
        let statusLine = String(decoding: head.prefix { $0 != 13 }, as: UTF8.self)
        let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
        guard status == 101 || status == 200 else {
            var body = [UInt8](repeating: 0, count: 4096)
            let count = (try? socket.receive(into: &body).get()) ?? 0
            socket.close()
            throw DockerError(status == 404 ? .notFound : .httpError, method: request.method, endpoint: request.target, status: status,
                              message: String(decoding: body.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return socket
    }

    func run() async throws {
        var wake: [Int32] = [-1, -1]
        guard pipe(&wake) == 0 else {
            socket.close()
            throw DockerError(.protocolError, message: "pipe for the exec's input pump: \(Errno.current)")
        }
        let (wakeRead, wakeWrite) = (wake[0], wake[1])
        defer {
            close(wakeRead)
            close(wakeWrite)
            socket.close()
        }
        async let input: Void = BlockingWork.run(name: "wbuild-exec-stdin") { pumpInput(wake: wakeRead) }
        let output = await BlockingWork.run(name: "wbuild-exec-stdout") { () -> Result<Void, DockerError> in pumpOutput() }
        var one: UInt8 = 1
        _ = write(wakeWrite, &one, 1)
        await input
        try output.get()
    }

    /// Copies input to the socket until input ends (then shuts the write side) or `wake` is readable.
    private func pumpInput(wake: Int32) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            var fds = [pollfd(fd: streams.stdin, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            guard case .success = retryingInterrupts({ poll(&fds, 2, -1) }) else { return }
            if fds[1].revents != 0 { return }
            guard fds[0].revents != 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { raw in retryingInterrupts { read(streams.stdin, raw.baseAddress, raw.count) } }
            guard case .success(let read) = count, read > 0 else {
                socket.shutdownWrite()
                return
            }
            if case .failure = socket.send(Array(buffer.prefix(read))) { return }
        }
    }

    /// Copies the engine's stream to the outputs (demultiplexing 8-byte frames without a tty) until EOF.
    private func pumpOutput() -> Result<Void, DockerError> {
        var parser = StreamFrameParser()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let received: Int
            switch socket.receive(into: &buffer) {
            case .success(let count): received = count
            case .failure(let errno) where errno == .connectionReset: received = 0
            case .failure(let errno):
                return .failure(DockerError(.protocolError, method: request.method, endpoint: request.target, message: "reading the exec's output: \(errno)"))
            }
            if received == 0 { return .success(()) }
            let bytes = buffer.prefix(received)
            if tty {
                Self.writeAll(bytes, to: streams.stdout)
                continue
            }
            do {
                for frame in try parser.feed(bytes) {
                    Self.writeAll(frame.payload, to: frame.stream == .stderr ? streams.stderr : streams.stdout)
                }
            } catch {
                return .failure(DockerError(.protocolError, method: request.method, endpoint: request.target, message: error.message))
            }
        }
    }

    static func writeAll<C: Collection<UInt8>>(_ bytes: C, to fd: Int32) {
        let array = Array(bytes)
        array.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                guard case .success(let written) = retryingInterrupts({ write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset) }),
                      written > 0 else { return }
                offset += written
            }
        }
    }
}
