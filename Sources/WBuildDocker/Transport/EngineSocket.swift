#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

/// A connected stream socket to the engine, used with blocking calls on a dedicated thread.
/// Owned by one thread at a time; close it exactly once with `close()`.
struct EngineSocket {
    let fd: Int32

    /// `socket(2)` + `connect(2)` to `host` (AF_UNIX, or AF_INET/AF_INET6 through `getaddrinfo`).
    static func connect(to host: DockerHost) throws(DockerError) -> EngineSocket {
        switch host {
        case .unix(let path):
            return try connectUnix(path: path, host: host)
        case .tcp(let name, let port):
            return try connectTCP(name: name, port: port, host: host)
        }
    }

    private static func connectUnix(path: String, host: DockerHost) throws(DockerError) -> EngineSocket {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw DockerError(.engineUnreachable, endpoint: host.description, message: "socket path \(path) is too long",
                              hint: "use a shorter path in DOCKER_HOST")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: pathBytes) }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw DockerError.engineUnreachable(host, operation: "socket", errno: .current) }
        let result = retryingInterrupts {
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
        if case .failure(let errno) = result {
            Glibc.close(fd)
            throw DockerError.engineUnreachable(host, operation: "connect", errno: errno)
        }
        return EngineSocket(fd: fd)
    }

    private static func connectTCP(name: String, port: Int, host: DockerHost) throws(DockerError) -> EngineSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(name, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let why = String(cString: gai_strerror(status))
            throw DockerError(.engineUnreachable, endpoint: host.description,
                              message: "cannot resolve \(name): \(why)", hint: "check the host in DOCKER_HOST")
        }
        defer { freeaddrinfo(list) }
        var lastError = Errno.connectionRefused
        var current: UnsafeMutablePointer<addrinfo>? = first
        while let info = current {
            current = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.pointee.ai_protocol)
            guard fd >= 0 else { lastError = .current; continue }
            switch retryingInterrupts({ Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) }) {
            case .success:
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return EngineSocket(fd: fd)
            case .failure(let errno):
                lastError = errno
                Glibc.close(fd)
            }
        }
        throw DockerError.engineUnreachable(host, operation: "connect", errno: lastError)
    }

    /// Writes all of `bytes` with `send(2)` and `MSG_NOSIGNAL` (a closed peer gives EPIPE, not SIGPIPE).
    func send(_ bytes: [UInt8]) -> Result<Void, Errno> {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let result = retryingInterrupts {
                    Glibc.send(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset, Int32(MSG_NOSIGNAL))
                }
                switch result {
                case .success(let written): offset += written
                case .failure(let errno): return .failure(errno)
                }
            }
            return .success(())
        }
    }

    /// `recv(2)` into `buffer`; 0 means the peer closed.
    func receive(into buffer: inout [UInt8]) -> Result<Int, Errno> {
        buffer.withUnsafeMutableBytes { raw in
            retryingInterrupts { Glibc.recv(fd, raw.baseAddress, raw.count, 0) }
        }
    }

    /// An idle keep-alive connection is usable when `poll(2)` shows nothing to read: a readable idle
    /// socket means the peer closed it (EOF) or sent something unexpected.
    func isIdleAndOpen() -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, 0)
        return ready == 0
    }

    /// `shutdown(2)` for writing: tells the peer no more request bytes follow (stdin EOF on hijacked streams).
    func shutdownWrite() {
        Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    func close() {
        Glibc.close(fd)
    }
}
