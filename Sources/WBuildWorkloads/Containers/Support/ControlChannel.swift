#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

/// One TCP connection to a helper's control port, speaking the one dialect its C programs share
/// (`Sources/HelperSupport/wbuild-control.h`): the live-update supervisor `wbuild-init` and the
/// workload's front door `wbuild-door`. Opening it authenticates: `AUTH <secret>` goes first and
/// the helper must answer `OK <program> <version>` with the program expected, else the channel
/// is not made. Replies are `OK …` or `ERR …` lines. Every call blocks: use it from
/// `BlockingWork.run`. Close it with `close()` exactly once.
struct ControlChannel: ~Copyable {
    private let socket: Int32
    let endpoint: ControlEndpoint
    /// The helper's name and dialect version, from its greeting (`wbuild-init 2`).
    let greeting: String
    private var pending: [UInt8]

    /// The dialect version these requests need.
    static let version = 2

    /// Connects within `timeoutMs` and authenticates; replies may take up to `replyTimeoutSeconds`
    /// (a restart waits for the old process to stop). `program` is the helper expected there
    /// (`wbuild-init`, `wbuild-door`).
    init(connectingTo endpoint: ControlEndpoint, program: String, timeoutMs: Int32 = 1000,
         replyTimeoutSeconds: Int = 60) throws(ControlReplyError) {
        self.endpoint = endpoint
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .unreachable(SystemError("socket", path: endpoint.description, errno: .current)) }
        do {
            try Self.connect(fd, to: endpoint, timeoutMs: timeoutMs)
        } catch {
            Glibc.close(fd)
            throw .unreachable(error)
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: replyTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var pending: [UInt8] = []
        do throws(ControlReplyError) {
            guard ControlEndpoint.isWellFormedSecret(endpoint.secret) else {
                throw ControlReplyError.refused("wbuild holds no well-formed secret for \(endpoint)")
            }
            try Self.sendAll(Array("AUTH \(endpoint.secret)\n".utf8), on: fd, endpoint: endpoint)
            let reply = try Self.readReply(from: fd, pending: &pending, endpoint: endpoint)
            let words = reply.split(separator: " ")
            guard words.count == 2, words[0] == program, let version = Int(words[1]), version >= Self.version else {
                throw ControlReplyError.refused("expected \(program) \(Self.version) to answer, got \"OK \(reply)\"")
            }
            greeting = reply
        } catch {
            Glibc.close(fd)
            throw error
        }
        self.pending = pending
        socket = fd
    }

    consuming func close() {
        Glibc.close(socket)
    }

    /// Sends `bytes` whole.
    func send(_ bytes: [UInt8]) throws(ControlReplyError) {
        try Self.sendAll(bytes, on: socket, endpoint: endpoint)
    }

    /// Reads one reply line: the text after `OK` (possibly empty), or throws with the text after `ERR`.
    mutating func readReply() throws(ControlReplyError) -> String {
        try Self.readReply(from: socket, pending: &pending, endpoint: endpoint)
    }

    /// Reads one line as it is (a stream's, after a request that turned the connection into one:
    /// the router's `EVENTS`); nil when none came within the receive timeout.
    mutating func readLine() throws(ControlReplyError) -> String? {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 16384)
            let count = chunk.withUnsafeMutableBytes { Glibc.recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                let errno = Errno.current
                if errno == .interrupted { continue }
                if errno.rawValue == EAGAIN || errno.rawValue == EWOULDBLOCK { return nil }
                throw .transport(SystemError("recv", path: endpoint.description, errno: errno))
            }
            if count == 0 { throw .transport(SystemError("recv", path: endpoint.description, errno: .connectionReset)) }
            pending += chunk[..<count]
        }
    }

    private static func sendAll(_ bytes: [UInt8], on socket: Int32, endpoint: ControlEndpoint) throws(ControlReplyError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.send(socket, buffer.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if Errno.current == .interrupted { continue }
                throw .transport(SystemError("send", path: endpoint.description, errno: .current))
            }
            offset += written
        }
    }

    private static func readReply(from socket: Int32, pending: inout [UInt8],
                                  endpoint: ControlEndpoint) throws(ControlReplyError) -> String {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                if line == "OK" { return "" }
                if line.hasPrefix("OK ") { return String(line.dropFirst(3)) }
                if line.hasPrefix("ERR ") { throw .refused(String(line.dropFirst(4))) }
                throw .refused("unexpected reply \"\(line)\"")
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { Glibc.recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if Errno.current == .interrupted { continue }
                throw .transport(SystemError("recv", path: endpoint.description, errno: .current))
            }
            if count == 0 { throw .transport(SystemError("recv", path: endpoint.description, errno: .connectionReset)) }
            pending += chunk[..<count]
        }
    }

    private static func connect(_ fd: Int32, to endpoint: ControlEndpoint, timeoutMs: Int32) throws(SystemError) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: endpoint.port).bigEndian)
        guard inet_pton(AF_INET, endpoint.host, &address.sin_addr) == 1 else {
            throw SystemError("inet_pton", path: endpoint.description, errno: Errno(rawValue: EINVAL))
        }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 {
            guard Errno.current == Errno(rawValue: EINPROGRESS) else { throw SystemError("connect", path: endpoint.description, errno: .current) }
            var waitFor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&waitFor, 1, timeoutMs)
            guard ready > 0 else { throw SystemError("connect", path: endpoint.description, errno: Errno(rawValue: ETIMEDOUT)) }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else { throw SystemError("connect", path: endpoint.description, errno: Errno(rawValue: error)) }
        }
        _ = fcntl(fd, F_SETFL, flags)
    }
}

/// Why a control channel failed: no connection, a reply that is not `OK` (an `ERR`, a greeting
/// from another program), or a connection broken halfway.
enum ControlReplyError: Error, CustomStringConvertible {
    case unreachable(SystemError)
    case refused(String)
    case transport(SystemError)

    var description: String {
        switch self {
        case .unreachable(let error), .transport(let error): "\(error)"
        case .refused(let message): message
        }
    }
}
