import WBuildSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.0 GET over IPv4 with a deadline, for probes of published ports.
/// Blocking socket calls, run through `BlockingCall` on a thread of their own.
enum LoopbackHTTP {
    /// The answer's status code and body, or why there is none.
    struct Answer: Sendable, Equatable {
        var status: Int
        var body: String
    }

    /// `GET path` on `host:port` (an IPv4 address); fails on refusal, timeout or a garbled answer.
    static func get(host: String, port: Int, path: String, timeout: Duration) async -> Result<Answer, ProbeFailure> {
        await BlockingWork.run(name: "wbuild-http-probe") {
            blockingGet(host: host, port: port, path: path, timeoutMs: Int(timeout.components.seconds * 1000)
                        + Int(timeout.components.attoseconds / 1_000_000_000_000_000))
        }
    }

    /// Whether `host:port` accepts a TCP connection before the deadline.
    static func connects(host: String, port: Int, timeout: Duration) async -> Result<Void, ProbeFailure> {
        await BlockingWork.run(name: "wbuild-tcp-probe") {
            let timeoutMs = Int(timeout.components.seconds * 1000) + Int(timeout.components.attoseconds / 1_000_000_000_000_000)
            return connect(host: host, port: port, deadline: ContinuousClock.now + .milliseconds(timeoutMs)).map { fd in
                close(fd)
            }
        }
    }

    private static func blockingGet(host: String, port: Int, path: String, timeoutMs: Int) -> Result<Answer, ProbeFailure> {
        let deadline = ContinuousClock.now + .milliseconds(timeoutMs)
        let fd: Int32
        switch connect(host: host, port: port, deadline: deadline) {
        case .success(let connected): fd = connected
        case .failure(let failure): return .failure(failure)
        }
        defer { close(fd) }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: \(host):\(port)\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let written = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR { continue }
                return .failure(ProbeFailure("sending the request to \(host):\(port) failed: \(String(cString: strerror(errno)))"))
            }
            sent += written
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < 64 * 1024 {
            guard wait(fd, events: Int16(POLLIN), deadline: deadline) else {
                if received.isEmpty { return .failure(ProbeFailure("no answer from \(host):\(port) in \(timeoutMs) ms")) }
                break
            }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(ProbeFailure("reading from \(host):\(port) failed: \(String(cString: strerror(errno)))"))
            }
            if count == 0 { break }
            received += buffer[..<count]
        }
        let text = String(decoding: received, as: UTF8.self)
        let statusLine = text.prefix { $0 != "\r" && $0 != "\n" }
        let fields = statusLine.split(separator: " ")
        guard fields.count >= 2, fields[0].hasPrefix("HTTP/"), let status = Int(fields[1]) else {
            return .failure(ProbeFailure("\(host):\(port) did not answer HTTP (\(statusLine.prefix(60)))"))
        }
        let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return .success(Answer(status: status, body: body))
    }

    /// A connected non-blocking socket, or why there is none.
    private static func connect(host: String, port: Int, deadline: ContinuousClock.Instant) -> Result<Int32, ProbeFailure> {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            return .failure(ProbeFailure("\(host) is not an IPv4 address"))
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(ProbeFailure("socket() failed: \(String(cString: strerror(errno)))")) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 && errno != EINPROGRESS {
            let reason = String(cString: strerror(errno))
            close(fd)
            return .failure(ProbeFailure("connecting to \(host):\(port) failed: \(reason)"))
        }
        if result != 0 {
            guard wait(fd, events: Int16(POLLOUT), deadline: deadline) else {
                close(fd)
                return .failure(ProbeFailure("connecting to \(host):\(port) timed out"))
            }
            var socketError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length)
            if socketError != 0 {
                close(fd)
                return .failure(ProbeFailure("connecting to \(host):\(port) failed: \(String(cString: strerror(socketError)))"))
            }
        }
        return .success(fd)
    }

    /// Polls `fd` for `events` until the deadline; whether it became ready.
    private static func wait(_ fd: Int32, events: Int16, deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            let ms = Int32(max(0, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            var pollfd = Glibc.pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&pollfd, 1, ms)
            if ready < 0 && errno == EINTR { continue }
            return ready > 0
        }
    }
}

/// Why a probe failed, in words for the user.
struct ProbeFailure: Error, Sendable, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}
