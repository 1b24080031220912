import Foundation
import Glibc
import Synchronization
import Testing
import WBuildTestSupport

/// The project's router as a user meets it: Samples/shop (`/` → web, `/api` → api with the
/// prefix stripped) served from one URL by `up` and `watch`, on the real engine.
@Suite struct RouterEndToEndTests {
    func shopProject() throws -> (TemporaryDirectory, String) {
        try SampleCopy.make("shop", prefix: "wbt-route")
    }

    /// The router's port from a result's `router:<project>` node.
    func routerPort(_ run: WBuildBinary.Run, project: String) -> Int? {
        (run.nodes["router:\(project)"]?["urls"] as? String)?.split(separator: ":").last.flatMap { Int($0) }
    }

    /// `wbuild watch --json` on `dir`, once web (the last workload) is up; the router's port.
    func watchUntilServed(_ dir: TemporaryDirectory) throws -> (RunningWBuild, Int) {
        let watch = try RunningWBuild(["watch", "--json"], in: dir.path)
        #expect(watch.waitUntilWatching(timeout: .seconds(120)))
        #expect(watch.wait(timeout: .seconds(60)) { watch.doneCount("workload:web") == 1 })
        guard let port = Int(try dir.read(".wbuild/router-port").trimmingCharacters(in: .whitespacesAndNewlines)) else {
            watch.stop()
            throw HTTPTestClient.ClientError("no port in .wbuild/router-port")
        }
        return (watch, port)
    }

    @Test func shopIsServedFromOneStableURLAndThePagesCallGoesThroughTheRouter() throws {
        let (dir, project) = try shopProject()
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let up = try WBuildBinary.run(["up", "--json"], in: dir.path)
        #expect(up.exitCode == 0, "\(up.stdout.suffix(2000)) \(up.stderr)")
        let port = try #require(routerPort(up, project: project), "\(up.stdout.suffix(2000))")
        #expect(try dir.read(".wbuild/router-port").trimmingCharacters(in: .whitespacesAndNewlines) == String(port),
                "the chosen port is remembered")

        let client = try HTTPTestClient(port: port)
        let page = try client.get("/")
        #expect(page.status == 200)
        #expect(page.body.contains("<h1>shop</h1>"), "\(page.body)")
        // The page's script asks this, on the same connection: it goes to api, as /cgi-bin/hello.
        #expect(page.body.contains("fetch(\"/api/cgi-bin/hello\")"))
        let answer = try client.get("/api/cgi-bin/hello")
        #expect(answer.status == 200)
        #expect(answer.body.contains("hello from api"), "\(answer.body)")
        client.close()
        let missing = try HTTPTestClient(port: port).get("/api/nothing-here")
        #expect(missing.status == 404, "api's own 404, through the router")
        #expect(missing.body.contains("404 Not Found"), "\(missing.body)")

        let status = try WBuildBinary.run(["status", "--json"], in: dir.path)
        let router = status.jsonLines.first { $0["type"] as? String == "router" }
        #expect(router?["url"] as? String == "http://127.0.0.1:\(port)", "\(status.stdout)")

        let again = try WBuildBinary.run(["up", "--json"], in: dir.path)
        #expect(again.status("router:\(project)") == "cached", "\(again.stdout.suffix(1500))")

        // down, then up: the same URL (a bookmark keeps working).
        #expect(try WBuildBinary.run(["down"], in: dir.path).exitCode == 0)
        let back = try WBuildBinary.run(["up", "--json"], in: dir.path)
        #expect(back.exitCode == 0, "\(back.stdout.suffix(2000)) \(back.stderr)")
        #expect(routerPort(back, project: project) == port)
        #expect(try HTTPTestClient(port: port).get("/api/cgi-bin/hello").status == 200)
    }

    @Test func aRebuildOfApiUnderARequestLoopFailsNoRequestAndEachRequestIsARouteEvent() throws {
        let (dir, project) = try shopProject()
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let (watch, port) = try watchUntilServed(dir)
        defer { watch.stop() }

        let loop = RequestLoop(port: port, path: "/api/cgi-bin/hello")
        #expect(loop.wait { $0.ok >= 5 }, "requests go through before the change")
        try dir.write("api/www/cgi-bin/hello", try dir.read("api/www/cgi-bin/hello") + "# rebuilt by a test\n")
        let rebuilt = watch.wait(timeout: .seconds(90)) { watch.doneCount("workload:api") == 2 }
        let before = loop.counts.ok
        #expect(loop.wait { $0.ok >= before + 20 }, "and after it, on the new replica")
        let counts = loop.stop()
        #expect(rebuilt, "api was rebuilt and replaced: \(watch.stdoutLines.suffix(20))")
        #expect(counts.failed == 0, "no request failed across the rebuild: \(counts.failures.prefix(5))")
        #expect(counts.ok > 25)

        let routes = watch.wait(timeout: .seconds(5)) { watch.events(ofType: "route").count >= 5 }
        let events = watch.events(ofType: "route")
        #expect(routes, "route events arrive")
        #expect(events.contains { $0["workload"] as? String == "api" && $0["replica"] as? Int == 0 && $0["status"] as? Int == 200
            && $0["path"] as? String == "/api/cgi-bin/hello" && $0["method"] as? String == "GET" && $0["ms"] is Double },
                "\(events.prefix(3))")
    }

    @Test func editingRoutesUnderWatchReconfiguresTheRouterWithoutDroppingAnOpenConnection() throws {
        let (dir, project) = try shopProject()
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let (watch, port) = try watchUntilServed(dir)
        defer { watch.stop() }
        let routerID = DockerCLI.run(["ps", "-q", "--filter", "name=wbuild-\(project)-router"])

        #expect(try HTTPTestClient(port: port).get("/kv/").status == 404, "no /kv route yet: web answers")
        let client = try HTTPTestClient(port: port)
        let before = try client.get("/")
        #expect(before.body.contains("<h1>shop</h1>"), "\(before.body)")
        let spec = try dir.read("wbuild.json").replacingOccurrences(
            of: "readiness: { tcp: { port: 7000 }", with: "routes: [{ path: \"/kv\", stripPrefix: true }],\n      readiness: { tcp: { port: 7000 }")
        try dir.write("wbuild.json", spec)
        #expect(watch.wait(timeout: .seconds(30)) { watch.doneCount("router:\(project)") == 2 }, "\(watch.stdoutLines.suffix(20))")
        let after = try client.get("/kv/")
        #expect(after.status == 200, "the same keep-alive connection now reaches kv")
        #expect(after.body.contains("key-value store"), "\(after.body)")
        client.close()
        #expect(DockerCLI.run(["ps", "-q", "--filter", "name=wbuild-\(project)-router"]) == routerID, "the same router container")
        let routes = try WBuildBinary.run(["routes"], in: dir.path)
        #expect(routes.stdout.contains("/kv (prefix, prefix stripped) → kv:7000"), "\(routes.stdout)")
    }
}

/// A blocking HTTP/1.1 client on one keep-alive connection to 127.0.0.1 (answers with a
/// Content-Length or chunked body), for checking that requests share a connection.
final class HTTPTestClient {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: String
        /// The body ran to the end of the connection (no length, not chunked): it is closed now.
        var closeDelimited = false
    }

    private let fd: Int32
    private var pending: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard connected == 0 else {
            Glibc.close(fd)
            throw ClientError("connect to 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
    }

    func close() { Glibc.close(fd) }

    func get(_ target: String) throws -> Response {
        let request = "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        guard request.utf8.count == Array(request.utf8).withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) else {
            throw ClientError("send: \(String(cString: strerror(errno)))")
        }
        let head = String(decoding: try readUntil(Array("\r\n\r\n".utf8)), as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else {
            throw ClientError("no status line in \(head)")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body: [UInt8] = []
        if let length = headers["content-length"].flatMap({ Int($0) }) {
            body = try read(length)
        } else if headers["transfer-encoding"]?.lowercased() == "chunked" {
            while true {
                let sizeLine = String(decoding: try readUntil(Array("\r\n".utf8)), as: UTF8.self)
                guard let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) else { throw ClientError("bad chunk \(sizeLine)") }
                if size == 0 {
                    _ = try readUntil(Array("\r\n".utf8))
                    break
                }
                body += try read(size)
                _ = try read(2)
            }
        } else if !(100..<200).contains(status) && status != 204 && status != 304 {
            while (try? fill()) != nil {}
            body = pending
            pending = []
            return Response(status: status, headers: headers, body: String(decoding: body, as: UTF8.self), closeDelimited: true)
        }
        return Response(status: status, headers: headers, body: String(decoding: body, as: UTF8.self))
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw ClientError(count == 0 ? "the connection was closed" : "recv: \(String(cString: strerror(errno)))") }
        pending += chunk[..<count]
    }

    /// The bytes before `marker` (which is consumed too).
    private func readUntil(_ marker: [UInt8]) throws -> [UInt8] {
        while true {
            if pending.count >= marker.count {
                for start in 0...(pending.count - marker.count) where Array(pending[start..<(start + marker.count)]) == marker {
                    let found = Array(pending[..<start])
                    pending.removeFirst(start + marker.count)
                    return found
                }
            }
            try fill()
        }
    }

    private func read(_ count: Int) throws -> [UInt8] {
        while pending.count < count { try fill() }
        let bytes = Array(pending[..<count])
        pending.removeFirst(count)
        return bytes
    }

    struct ClientError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// GETs `path` on the router again and again from a thread of its own, a fresh connection each
/// time (as a browser opening a page would), counting answers until stopped.
final class RequestLoop: Sendable {
    struct Counts: Sendable {
        var ok = 0
        var failed = 0
        var failures: [String] = []
    }

    private let state = Mutex(Counts())
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)

    init(port: Int, path: String) {
        let thread = Thread { [self] in
            while running.load(ordering: .relaxed) {
                do {
                    let client = try HTTPTestClient(port: port)
                    let response = try client.get(path)
                    client.close()
                    state.withLock { counts in
                        if response.status == 200 { counts.ok += 1 } else {
                            counts.failed += 1
                            counts.failures.append("\(response.status) \(response.body.prefix(200))")
                        }
                    }
                } catch {
                    state.withLock { $0.failed += 1; $0.failures.append("\(error)") }
                }
            }
            finished.signal()
        }
        thread.start()
    }

    var counts: Counts { state.withLock { $0 } }

    /// Waits up to 30 s for `condition` on the counts.
    func wait(_ condition: (Counts) -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if condition(counts) { return true }
            usleep(20_000)
        }
        return condition(counts)
    }

    /// Stops the loop and returns the final counts.
    func stop() -> Counts {
        running.store(false, ordering: .relaxed)
        _ = finished.wait(timeout: .now() + 20)
        return counts
    }
}
