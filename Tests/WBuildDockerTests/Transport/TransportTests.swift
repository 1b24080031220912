import Foundation
import Testing
import WBuildTestSupport
@testable import WBuildDocker

@Suite("Transport: keep-alive, retry, unreachable engine, DOCKER_HOST")
struct TransportTests {
    @Test("a GET on a pooled connection the peer closed is retried once on a new connection")
    func idempotentRetry() async throws {
        let directory = try TemporaryDirectory(prefix: "sock")
        defer { directory.remove() }
        // Connection 1 answers its first request, then closes on the second without answering.
        let server = try ScriptedUnixServer(directory: directory.path) { connection, request in
            connection == 1 && request == 2 ? .closeWithoutAnswer : .respond("answer-\(connection)-\(request)")
        }
        defer { server.stop() }
        let transport = HTTPTransport(host: .unix(path: server.path))
        let first = try await transport.send(HTTPRequest(method: "GET", target: "/first"))
        #expect(String(decoding: first.body, as: UTF8.self) == "answer-1-1")
        let second = try await transport.send(HTTPRequest(method: "GET", target: "/second"))
        #expect(String(decoding: second.body, as: UTF8.self) == "answer-2-1")
        #expect(server.connectionCount == 2)
        #expect(server.requestLines == ["GET /first HTTP/1.1", "GET /second HTTP/1.1", "GET /second HTTP/1.1"])
    }

    @Test("a POST on a pooled connection the peer closed is not repeated, and says so")
    func nonIdempotentNotRetried() async throws {
        let directory = try TemporaryDirectory(prefix: "sock")
        defer { directory.remove() }
        let server = try ScriptedUnixServer(directory: directory.path) { connection, request in
            connection == 1 && request == 2 ? .closeWithoutAnswer : .respond("ok")
        }
        defer { server.stop() }
        let transport = HTTPTransport(host: .unix(path: server.path))
        _ = try await transport.send(HTTPRequest(method: "GET", target: "/warm"))
        await #expect {
            _ = try await transport.send(HTTPRequest(method: "POST", target: "/containers/x/start"))
        } throws: { error in
            (error as? DockerError)?.kind == .protocolError && (error as? DockerError)?.method == "POST"
        }
        #expect(server.requestLines.filter { $0.hasPrefix("POST") }.count == 1)
    }

    @Test("a pooled connection the peer already closed is discarded before use")
    func deadIdleConnectionDiscarded() async throws {
        let directory = try TemporaryDirectory(prefix: "sock")
        defer { directory.remove() }
        let server = try ScriptedUnixServer(directory: directory.path) { _, _ in .respond("ok") }
        defer { server.stop() }
        let transport = HTTPTransport(host: .unix(path: server.path))
        _ = try await transport.send(HTTPRequest(method: "GET", target: "/one"))
        #expect(transport.pool.idleCount == 1)
        // Simulate the daemon's idle timeout: our end of the pooled connection sees EOF.
        let idle = try #require(transport.pool.take())
        shutdown(idle.fd, Int32(SHUT_RD))
        transport.pool.give(idle)
        let answer = try await transport.send(HTTPRequest(method: "POST", target: "/two"))
        #expect(String(decoding: answer.body, as: UTF8.self) == "ok")
        #expect(transport.connectionsOpened == 2)
    }

    @Test("a missing socket gives engineUnreachable naming the socket, with install/start/permission/DOCKER_HOST hints")
    func unreachableSocket() async throws {
        let directory = try TemporaryDirectory(prefix: "nosock")
        defer { directory.remove() }
        let path = directory.url("missing.sock")
        let client = DockerClient(host: .unix(path: path))
        await #expect {
            try await client.ping()
        } throws: { error in
            guard let error = error as? DockerError else { return false }
            let hint = error.hint ?? ""
            return error.kind == .engineUnreachable && error.message.contains(path)
                && hint.contains("apt-get install docker.io") && hint.contains("dockerd")
                && hint.contains("docker group") && hint.contains("DOCKER_HOST")
        }
    }

    @Test("a socket nobody listens on gives engineUnreachable (connection refused)")
    func refusedSocket() async throws {
        let directory = try TemporaryDirectory(prefix: "refused")
        defer { directory.remove() }
        let server = try ScriptedUnixServer(directory: directory.path) { _, _ in .respond("") }
        server.stop()
        // Recreate the file as a socket with no listener.
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(server.path.utf8)) }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(stale, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(stale)
        let client = DockerClient(host: .unix(path: server.path))
        await #expect {
            try await client.ping()
        } throws: { error in
            (error as? DockerError)?.kind == .engineUnreachable
                && ((error as? DockerError)?.message.contains("nothing is listening") ?? false)
        }
    }

    @Test("DOCKER_HOST parsing: default, unix, tcp, and rejected schemes")
    func dockerHost() throws {
        #expect(try DockerHost.fromEnvironment([:]) == .unix(path: "/var/run/docker.sock"))
        #expect(try DockerHost.fromEnvironment(["DOCKER_HOST": "unix:///tmp/d.sock"]) == .unix(path: "/tmp/d.sock"))
        #expect(try DockerHost.fromEnvironment(["DOCKER_HOST": "tcp://127.0.0.1:2375"]) == .tcp(host: "127.0.0.1", port: 2375))
        #expect(throws: DockerError.self) { try DockerHost.parse("ssh://user@host") }
        #expect(throws: DockerError.self) { try DockerHost.parse("tcp://host") }
    }

    @Test("version negotiation picks the lower of the engine's version and 1.41")
    func negotiatesLowerVersion() async throws {
        let directory = try TemporaryDirectory(prefix: "sock")
        defer { directory.remove() }
        let server = try ScriptedUnixServer(directory: directory.path) { _, _ in .respond("{\"Version\":\"x\",\"ApiVersion\":\"1.40\"}") }
        defer { server.stop() }
        let client = DockerClient(host: .unix(path: server.path))
        let version = try await client.version()
        #expect(version.apiVersion == "1.40")
        #expect(server.requestLines == ["GET /_ping HTTP/1.1", "GET /v1.40/version HTTP/1.1"])
    }

    @Test("cancelling a task waiting on an unanswered request throws cancelled and frees the connection")
    func cancellation() async throws {
        let directory = try TemporaryDirectory(prefix: "sock")
        defer { directory.remove() }
        let server = try ScriptedUnixServer(directory: directory.path) { _, _ in .hang }
        defer { server.stop() }
        let transport = HTTPTransport(host: .unix(path: server.path))
        let waiting = Task { try await transport.send(HTTPRequest(method: "GET", target: "/never")) }
        #expect(await eventually { server.requestLines.count == 1 })
        waiting.cancel()
        let outcome = await waiting.result
        #expect(throws: DockerError.self) { try outcome.get() }
        if case .failure(let error as DockerError) = outcome { #expect(error.kind == .cancelled) }
        #expect(await eventually { transport.requestsInFlight == 0 })
        #expect(transport.pool.idleCount == 0)
    }
}
