import Foundation
import Glibc
import Synchronization

/// A tiny HTTP server on a unix socket in a temp dir, answering each connection by a script:
/// for connection N, a list of actions per request (answer with a body, or close without answering).
/// It counts connections and requests, so tests see reuse and retries.
final class ScriptedUnixServer: Sendable {
    enum Action: Sendable {
        case respond(String)
        case closeWithoutAnswer
        /// Never answer; wait until the client goes away.
        case hang
    }

    let path: String
    private let listener: Int32
    private let connections = Atomic<Int>(0)
    private let requests = Mutex<[String]>([])
    private let script: @Sendable (_ connection: Int, _ request: Int) -> Action

    var connectionCount: Int { connections.load(ordering: .relaxed) }
    var requestLines: [String] { requests.withLock { $0 } }

    init(directory: String, script: @escaping @Sendable (_ connection: Int, _ request: Int) -> Action) throws {
        path = directory + "/engine.sock"
        self.script = script
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(listener, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops accepting. Only the accept thread closes the listening descriptor, so its number
    /// cannot be reused by another test while that thread might still call `accept` on it.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        unlink(path)
    }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            let number = connections.add(1, ordering: .relaxed).newValue
            let thread = Thread { [self] in serve(client, connection: number) }
            thread.start()
        }
    }

    private func serve(_ client: Int32, connection: Int) {
        defer { close(client) }
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var requestNumber = 0
        while true {
            // Read one request head (these tests send no bodies).
            while !pending.containsHeadEnd {
                let count = recv(client, &buffer, buffer.count, 0)
                guard count > 0 else { return }
                pending += buffer[..<count]
            }
            let head = pending.headPrefix
            pending.removeFirst(head.count)
            requestNumber += 1
            let line = String(decoding: head, as: UTF8.self).split(separator: "\r\n").first.map(String.init) ?? ""
            requests.withLock { $0.append(line) }
            switch script(connection, requestNumber) {
            case .respond(let body):
                let response = "HTTP/1.1 200 OK\r\nApi-Version: 1.40\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
                _ = Array(response.utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            case .closeWithoutAnswer:
                return
            case .hang:
                while recv(client, &buffer, buffer.count, 0) > 0 {}
                return
            }
        }
    }
}

private extension [UInt8] {
    var containsHeadEnd: Bool { headEndIndex != nil }
    var headEndIndex: Int? {
        guard count >= 4 else { return nil }
        for index in 0...(count - 4) where self[index] == 13 && self[index + 1] == 10 && self[index + 2] == 13 && self[index + 3] == 10 {
            return index + 4
        }
        return nil
    }
    var headPrefix: [UInt8] { Array(self[..<(headEndIndex ?? count)]) }
}
