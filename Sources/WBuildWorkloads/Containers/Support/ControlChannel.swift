#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

/// One TCP connection to a control port wbuild published on loopback, speaking the line
/// protocol its C programs share: the live-update supervisor (`Supervisor/wbuild-init.c`) and
/// the workload's front door (`Door/wbuild-door.c`). Sends `AUTH <token>` first when the
/// endpoint has a token; replies are `OK …` or `ERR …` lines. Every call blocks: use it from
/// `BlockingWork.run`. Close it with `close()` exactly once.
struct ControlChannel: ~Copyable {
    private let socket: Int32
    let endpoint: ControlEndpoint
    private var pending: [UInt8] = []

    /// Connects within `timeoutMs`; replies may take up to `replyTimeoutSeconds` (a restart waits
    /// for the old process to stop).
    init(connectingTo endpoint: ControlEndpoint, timeoutMs: Int32 = 1000, replyTimeoutSeconds: Int = 60) throws(SystemError) {
        self.endpoint = endpoint
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError("socket", path: endpoint.description, errno: .current) }
        do {
            try Self.connect(fd, to: endpoint, timeoutMs: timeoutMs)
        } catch {
            Glibc.close(fd)
            throw error
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: replyTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if let token = endpoint.token {
            do {
                try Self.sendAll(Array("AUTH \(token)\n".utf8), on: fd, endpoint: endpoint)
            } catch {
                Glibc.close(fd)
                throw error
            }
        }
        socket = fd
    }

    consuming func close() {
        Glibc.close(socket)
    }

    /// Sends `bytes` whole.
    func send(_ bytes: [UInt8]) throws(SystemError) {
        try Self.sendAll(bytes, on: socket, endpoint: endpoint)
    }

    private static func sendAll(_ bytes: [UInt8], on socket: Int32, endpoint: ControlEndpoint) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.send(socket, buffer.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if Errno.current == .interrupted { continue }
                throw SystemError("send", path: endpoint.description, errno: .current)
            }
            offset += written
        }
    }

    /// Reads one reply line: the text after `OK` (possibly empty), or throws with the text after `ERR`.
    mutating func readReply() throws(ControlReplyError) -> String {
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

/// A supervisor reply that is not `OK`, or a broken connection.
enum ControlReplyError: Error {
    case refused(String)
    case transport(SystemError)
}
