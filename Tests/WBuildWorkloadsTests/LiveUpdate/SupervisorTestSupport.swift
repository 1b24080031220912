import Foundation
import Testing
import WBuildDocker
import WBuildSystem
import WBuildTestSupport
@testable import WBuildWorkloads

/// What the supervisor tests share: a supervised container to talk to, the two ways to talk to
/// its supervisor (wbuild's own client, or a raw socket that sends exactly the bytes given) and
/// a shell to look inside the container with.
enum SupervisorTest {
    /// A supervised busybox container running `sleep 3600`, configured by `configure`; `body`
    /// gets its id, and the container is removed after it.
    static func withContainer<T>(_ client: DockerClient, configure: (inout ContainerConfig) -> Void = { _ in },
                                 _ body: (String) async throws -> T) async throws -> T {
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage, command: ["sleep", "3600"],
                                                     supervised: true, configure: configure, body)
    }

    /// The endpoint of the supervisor in container `id`, with its secret.
    static func endpoint(of id: String, client: DockerClient) async throws -> ControlEndpoint {
        try #require(try await ControlEndpoint.resolveSupervisor(containerID: id, client: client))
    }

    /// Applies `operations` through the container's supervisor; the bytes sent.
    @discardableResult
    static func apply(_ operations: [SyncOperation], to id: String, client: DockerClient) async throws -> Int {
        let endpoint = try await endpoint(of: id, client: client)
        return try await BlockingWork.run(name: "test-apply") {
            try ControlChannel.withConnection(to: endpoint) { channel throws(LiveUpdateError) in try channel.apply(operations) }
        }
    }

    /// What `apply` threw, as text; nil when it did not throw.
    static func failure(of operations: [SyncOperation], in id: String, client: DockerClient) async throws -> String? {
        do {
            try await apply(operations, to: id, client: client)
            return nil
        } catch let error as LiveUpdateError {
            return error.message
        }
    }

    /// The output of a shell command in the container (busybox), or nil when it failed.
    static func shell(_ script: String, in id: String, client: DockerClient) async throws -> String? {
        let result = try await client.exec(id, command: ["sh", "-c", script])
        return result.exitCode == 0 ? result.stdoutText : nil
    }

    /// The id of the supervised process, asked over wbuild's client.
    static func processID(_ endpoint: ControlEndpoint) async throws -> Int {
        try await BlockingWork.run(name: "test-pid") {
            try ControlChannel.withConnection(to: endpoint) { channel throws(LiveUpdateError) in try channel.processID() }
        }
    }

    /// A raw connection to the supervisor at `endpoint`, authenticated with its secret (and the
    /// greeting checked) when `authenticate`. Blocks: call it inside `BlockingWork.run`.
    static func connect(_ endpoint: ControlEndpoint, authenticate: Bool = true) throws -> TestSocket {
        let socket = try TestSocket.connect(port: endpoint.port, host: endpoint.host)
        if authenticate {
            try socket.send("AUTH \(endpoint.secret)\n")
            let greeting = try socket.readLine()
            guard greeting == "OK wbuild-init 2" else { throw SocketTestError("AUTH: \(greeting)", errno: 0) }
        }
        return socket
    }

    /// Runs `body` on a dedicated thread with one authenticated raw connection to the supervisor
    /// at `endpoint`, closed after it.
    static func overRawSocket<T: Sendable>(_ endpoint: ControlEndpoint,
                                           _ body: @escaping @Sendable (TestSocket) throws -> T) async throws -> T {
        try await BlockingWork.run(name: "test-framing") { () throws -> T in
            let socket = try connect(endpoint)
            defer { socket.close() }
            return try body(socket)
        }
    }
}
