import Foundation
import WBuildSystem

/// Fetches pages from 127.0.0.1 over plain blocking sockets, and polls a page until it shows
/// a marker: how the container suites tell, from the host as a user would, that a container
/// serves new content. The polling runs on a thread of its own (`BlockingWork`), never on
/// the cooperative pool.
enum HTTPProbe {
    /// The whole response (status line, headers, body) to `GET path` on 127.0.0.1:`port`, or
    /// `nil` when nothing answers. Blocking: call it on a dedicated thread.
    static func get(port: Int, path: String, timeoutMilliseconds: Int = 1000) -> String? {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { return nil }
        defer { close(socketDescriptor) }
        var timeout = timeval(tv_sec: timeoutMilliseconds / 1000, tv_usec: (timeoutMilliseconds % 1000) * 1000)
        setsockopt(socketDescriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socketDescriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        let sent = request.withUnsafeBytes { send(socketDescriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == request.count else { return nil }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socketDescriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                response.append(contentsOf: buffer[0..<count])
            } else if count == 0 {
                break
            } else if errno != EINTR {
                return nil
            }
        }
        return String(decoding: response, as: UTF8.self)
    }

    /// Polls `path` every 2 ms until a response contains `marker`; returns the
    /// `CLOCK_REALTIME` nanoseconds at which that response had been read in full, or `nil`
    /// at the deadline. `port` is asked before every request (a replaced container may come
    /// up on another host port); `nil` means "not known yet". Blocking: call it on a
    /// dedicated thread.
    static func pollUntil(marker: String, path: String, timeout: Duration, port: () -> Int?) -> Int64? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let port = port(), let page = get(port: port, path: path), page.contains(marker) {
                return WallClock.realtimeNanoseconds()
            }
            usleep(2000)
        }
        return nil
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now (bind to port 0, read it back,
    /// close): for the host ports of the Compose peers, which need fixed ones.
    static func freePort() throws(BenchError) -> Int {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else {
            throw BenchError(.fileSystem, "socket(): \(String(cString: strerror(errno)))")
        }
        defer { close(socketDescriptor) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socketDescriptor, generic, length) == 0 && getsockname(socketDescriptor, generic, &length) == 0
            }
        }
        guard bound else {
            throw BenchError(.fileSystem, "cannot pick a free port on 127.0.0.1: \(String(cString: strerror(errno)))")
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// The port of the first URL in a `ready` event's detail (`http://127.0.0.1:34152 …`).
    static func port(inURLs text: String) -> Int? {
        guard let url = text.split(whereSeparator: { $0 == " " || $0 == "," }).first,
              let afterScheme = url.range(of: "://") else { return nil }
        let hostPort = url[afterScheme.upperBound...].prefix(while: { $0 != "/" })
        return hostPort.split(separator: ":").last.flatMap { Int($0) }
    }
}
