import Foundation
import Glibc

/// A socket call that failed in a test that speaks TCP itself (the door's, the router's).
public struct SocketTestError: Error, CustomStringConvertible {
    public var description: String
    /// The errno of the failed call; 0 when no call failed.
    public var code: Int32

    public init(_ what: String, errno code: Int32 = errno) {
        self.code = code
        description = code == 0 ? what : "\(what): \(String(cString: strerror(code)))"
    }
}

/// The IPv4 address `host` and `port` in network order, for `sockaddr_in`.
public func socketAddress(_ host: String, _ port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr(host)
    return address
}

/// A TCP port on 127.0.0.1 that nothing listens on right now.
public func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = socketAddress("127.0.0.1", 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard ok else { throw SocketTestError("bind") }
    return Int(UInt16(bigEndian: address.sin_port))
}

public func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if sent < 0 && errno == EINTR { continue }
        guard sent > 0 else { return false }
        offset += sent
    }
    return true
}

/// A blocking TCP socket with a receive timeout, read through a buffer so lines and heads can be
/// taken off it. Used from one thread at a time (a writer thread may use `fd` alongside).
// @unchecked: `pending` and `isOpen` are touched only by the one thread that reads and closes the
// socket (each test hands a socket to one thread); what another thread may use is `fd`, a `let`.
public final class TestSocket: @unchecked Sendable {
    public enum End: Equatable {
        case eof
        case reset
        case timeout
    }

    public let fd: Int32
    private var pending: [UInt8] = []
    private var isOpen = true

    public init(fd: Int32, timeout: Int = 10) {
        self.fd = fd
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close()
    }

    public func close() {
        if isOpen { Glibc.close(fd) }
        isOpen = false
    }

    public static func connect(port: Int, host: String = "127.0.0.1", timeout: Int = 10) throws -> TestSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketTestError("socket") }
        let socket = TestSocket(fd: fd, timeout: timeout)
        var address = socketAddress(host, port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw SocketTestError("connect \(host):\(port)") }
        return socket
    }

    public func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    public func send(_ bytes: [UInt8]) throws {
        guard sendAll(fd, bytes) else { throw SocketTestError("send") }
    }

    /// Closes the connection with a reset (SO_LINGER 0) instead of an end of stream.
    public func reset() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close()
    }

    public func shutdownWrite() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Whether bytes (or the end of the stream) are waiting, polling up to `milliseconds`.
    public func isReadable(within milliseconds: Int32 = 0) -> Bool {
        if !pending.isEmpty { return true }
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, milliseconds) > 0
    }

    /// Up to `limit` bytes; empty at the end of the stream.
    public func read(_ limit: Int = 65536) throws -> [UInt8] {
        if !pending.isEmpty {
            let take = min(limit, pending.count)
            defer { pending.removeFirst(take) }
            return Array(pending.prefix(take))
        }
        var buffer = [UInt8](repeating: 0, count: limit)
        while true {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw SocketTestError("recv") }
            return Array(buffer.prefix(got))
        }
    }

    public func read(exactly count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < count {
            let chunk = try read(min(65536, count - bytes.count))
            guard !chunk.isEmpty else { throw SocketTestError("end of stream after \(bytes.count) of \(count) bytes", errno: 0) }
            bytes += chunk
        }
        return bytes
    }

    /// Bytes up to and including `delimiter`.
    public func read(through delimiter: [UInt8]) throws -> [UInt8] {
        var searched = 0
        while true {
            if let end = Self.find(delimiter, in: pending, from: searched) {
                let bytes = Array(pending[..<end])
                pending.removeFirst(end)
                return bytes
            }
            searched = max(0, pending.count - delimiter.count)
            var buffer = [UInt8](repeating: 0, count: 65536)
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got < 0 && errno == EINTR { continue }
            if got == 0 {
                throw SocketTestError("end of stream before the delimiter, after \"\(String(decoding: pending, as: UTF8.self))\"", errno: 0)
            }
            guard got > 0 else { throw SocketTestError("recv") }
            pending += buffer.prefix(got)
        }
    }

    /// The index just past the first `delimiter` in `bytes`.
    public static func find(_ delimiter: [UInt8], in bytes: [UInt8], from start: Int = 0) -> Int? {
        var index = start
        while index + delimiter.count <= bytes.count {
            var matches = true
            for offset in 0..<delimiter.count where bytes[index + offset] != delimiter[offset] {
                matches = false
                break
            }
            if matches { return index + delimiter.count }
            index += 1
        }
        return nil
    }

    public func readLine() throws -> String {
        let line = try read(through: [0x0A])
        return String(decoding: line.dropLast(), as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
    }

    /// Everything until the stream ends, and how it ended.
    public func readToEnd() -> (bytes: [UInt8], end: End) {
        var bytes: [UInt8] = []
        while true {
            do {
                let chunk = try read()
                if chunk.isEmpty { return (bytes, .eof) }
                bytes += chunk
            } catch let error as SocketTestError where error.code == EAGAIN || error.code == EWOULDBLOCK {
                return (bytes, .timeout)
            } catch {
                return (bytes, .reset)
            }
        }
    }
}
