import Foundation
import Glibc
import Synchronization
import Testing
import WBuildTestSupport
import WBuildWorkloads

/// `wbuild-router` as it runs on a swarm, with no wbuild beside it: the table from `--route`,
/// each workload's replicas the A records of a DNS name asked every second (`--discover`), here
/// of a test name server on loopback, whose answers the test changes.
@Suite("Router discovery", .serialized)
struct RouterDiscoveryTests {
    @Test("replicas follow the name's A records: a new address takes requests, a name with none answers 503")
    func replicasFollowTheNamesAddresses() async throws {
        let dns = try TestNameServer()
        defer { dns.stop() }
        let servers = try TestHTTPServer.group(["first", "second"], addresses: ["127.0.0.1", "127.0.0.2"])
        defer { servers.forEach { $0.stop() } }
        dns.answer("tasks.shop_api", with: ["127.0.0.1"])
        let options = ["--hold-ms", "300", "--resolver", "127.0.0.1:\(dns.port)",
                       "--route", "api prefix - 1 /api", "--discover", "api tasks.shop_api \(servers[0].port) http"]
        try await RouterProcess.with(options: options) { router in
            #expect(try Self.backend(router, "/api/x", until: "first") == "first")
            dns.answer("tasks.shop_api", with: ["127.0.0.2"])
            #expect(try Self.backend(router, "/api/x", until: "second") == "second")
            dns.answer("tasks.shop_api", with: [])
            let deadline = ContinuousClock.now + .seconds(5)
            var status = 0
            while ContinuousClock.now < deadline {
                let client = try router.connect()
                try client.send(get("/api/x"))
                status = try client.readResponse().status
                client.close()
                if status == 503 { break }
                usleep(100_000)
            }
            #expect(status == 503, "no address: the workload is starting")
            #expect(router.standardError.contains("table arguments: 1 rule"), "\(router.standardError)")
        }
    }

    @Test("a replica that refuses (its task stopped) makes the router ask the name again at once: the request reaches the new one")
    func aRefusedReplicaAsksTheNameAgainAtOnce() async throws {
        let dns = try TestNameServer()
        defer { dns.stop() }
        let servers = try TestHTTPServer.group(["old", "new"], addresses: ["127.0.0.1", "127.0.0.2"])
        defer { servers.forEach { $0.stop() } }
        dns.answer("tasks.shop_api", with: ["127.0.0.1"])
        let options = ["--hold-ms", "3000", "--resolver", "127.0.0.1:\(dns.port)",
                       "--route", "api prefix - 1 /api", "--discover", "api tasks.shop_api \(servers[0].port) http"]
        try await RouterProcess.with(options: options) { router in
            #expect(try Self.backend(router, "/api/x", until: "old") == "old")
            // A rolling update: the old task stops and leaves the name; the router's set still
            // holds it until the next one-second lookup, which this request does not wait for.
            servers[0].stop()
            var refused = false
            for _ in 0..<100 where !refused {
                if let socket = try? TestSocket.connect(port: servers[0].port, host: "127.0.0.1", timeout: 1) {
                    socket.close()
                    usleep(20_000)
                } else {
                    refused = true
                }
            }
            try #require(refused, "the old replica still accepts connections")
            dns.answer("tasks.shop_api", with: ["127.0.0.2"])
            let client = try router.connect()
            defer { client.close() }
            try client.send(get("/api/x"))
            let response = try client.readResponse()
            #expect(response.status == 200, "\(response.status): \(String(decoding: response.body, as: UTF8.self))")
            #expect(backendName(response) == "new")
        }
    }

    @Test("a route the router cannot take is refused at start, saying which")
    func aBadRouteArgumentIsRefused() async throws {
        let binary = try RouterBinary.resource.hostPath()
        let result = ProcessCapture.run(binary, ["--listen", "\(try freeLoopbackPort())", "--control", "\(try freeLoopbackPort())",
                                                 "--route", "api sideways - 1 /api"])
        #expect(result.status == 2)
        #expect(result.output.contains("--route \"api sideways - 1 /api\""), "\(result.output)")
    }

    /// The backend that answers `path`, asked until it is `expected` or 5 s have passed.
    static func backend(_ router: RouterProcess, _ path: String, until expected: String) throws -> String? {
        let deadline = ContinuousClock.now + .seconds(5)
        var last: String?
        while ContinuousClock.now < deadline {
            let client = try router.connect()
            try client.send(get(path))
            last = backendName(try client.readResponse())
            client.close()
            if last == expected { return last }
            usleep(100_000)
        }
        return last
    }
}

/// A name server on 127.0.0.1 (UDP, a free port) that answers A questions from a table the
/// test sets, NXDOMAIN for names it has no entry for.
final class TestNameServer: Sendable {
    let port: Int
    private let fd: Int32
    private let table = Mutex<[String: [String]]>([:])
    private let stopped = Atomic<Bool>(false)

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketTestError("socket") }
        var address = socketAddress("127.0.0.1", 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else {
            close(descriptor)
            throw SocketTestError("bind")
        }
        fd = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    func answer(_ name: String, with addresses: [String]) {
        table.withLock { $0[name] = addresses }
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    private func serve() {
        var buffer = [UInt8](repeating: 0, count: 512)
        while !stopped.load(ordering: .relaxed) {
            var peer = sockaddr_in()
            var peerLength = socklen_t(MemoryLayout<sockaddr_in>.size)
            let got = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, &buffer, buffer.count, 0, $0, &peerLength) }
            }
            guard got > 12 else { continue }
            let query = Array(buffer[0..<got])
            var at = 12
            var labels: [String] = []
            while at < query.count, query[at] != 0 {
                let length = Int(query[at])
                guard at + 1 + length <= query.count else { break }
                labels.append(String(decoding: query[(at + 1)..<(at + 1 + length)], as: UTF8.self))
                at += 1 + length
            }
            let questionEnd = at + 5
            guard questionEnd <= query.count else { continue }
            let addresses = table.withLock { $0[labels.joined(separator: ".")] }
            var response = Array(query[0..<2]) + [0x81, addresses == nil ? 0x83 : 0x80, 0, 1, 0, UInt8(addresses?.count ?? 0), 0, 0, 0, 0]
            response += query[12..<questionEnd]
            for address in addresses ?? [] {
                var raw = in_addr()
                inet_pton(AF_INET, address, &raw)
                let bytes = withUnsafeBytes(of: raw.s_addr) { Array($0) }
                response += [0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4] + bytes
            }
            _ = withUnsafePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, response, response.count, 0, $0, peerLength) }
            }
        }
        close(fd)
    }
}
