import Foundation
import Glibc
import Synchronization
import WBuildSystem

/// Debian's `docker-registry` serving from a temp dir on a free 127.0.0.1 port (an insecure
/// registry the engine accepts by default), for push tests. Stop it with `stop()`.
///
/// With `users`, the registry asks for HTTP basic auth against an htpasswd file of bcrypt
/// entries (`htpasswd -B`, Debian's `apache2-utils`; the registry refuses MD5 `$apr1$` ones).
public final class LocalRegistry: Sendable {
    public let port: Int
    public let directory: String
    /// User → password; empty for an open registry.
    public let users: [String: String]
    private let process: Mutex<Process?>

    /// `127.0.0.1:PORT`, the registry part of a repository name.
    public var address: String { "127.0.0.1:\(port)" }
    /// Where the registry keeps its blobs and manifests.
    public var storagePath: String { directory + "/storage" }
    private var configPath: String { directory + "/config.yml" }

    public init(directory: String, users: [String: String] = [:]) throws {
        self.directory = directory
        self.users = users
        port = try Self.freePort()
        var config = """
        version: 0.1
        log:
          level: error
        storage:
          filesystem:
            rootdirectory: \(directory)/storage
        http:
          addr: 127.0.0.1:\(port)

        """
        if !users.isEmpty {
            let htpasswd = directory + "/htpasswd"
            for (index, user) in users.keys.sorted().enumerated() {
                let create = index == 0 ? ["-c"] : []
                try Self.run("/usr/bin/htpasswd", ["-B", "-b"] + create + [htpasswd, user, users[user] ?? ""])
            }
            config += """
            auth:
              htpasswd:
                realm: wbuild-test
                path: \(htpasswd)

            """
        }
        try FileManager.default.createDirectory(atPath: directory + "/storage", withIntermediateDirectories: true)
        try config.write(toFile: directory + "/config.yml", atomically: true, encoding: .utf8)
        process = Mutex(nil)
        try start()
    }

    /// Waits until the registry accepts connections.
    public func waitUntilListening(within deadline: Duration = .seconds(15)) async -> Bool {
        await eventually(within: deadline) { Self.canConnect(port: port) }
    }

    /// Stops the registry (SIGTERM, then waits for it). Safe to call twice.
    public func stop() {
        let running = process.withLock { process -> Process? in
            defer { process = nil }
            return process
        }
        guard let running else { return }
        running.terminate()
        running.waitUntilExit()
    }

    /// Stops the registry and starts it again on the same port with the same storage; returns
    /// when it accepts connections.
    public func restart() async throws {
        stop()
        try start()
        guard await waitUntilListening() else {
            throw LocalRegistryError("the registry did not listen again on \(address) after a restart")
        }
    }

    /// Deletes everything the registry stored, while it runs. `docker-registry` 2.8 with this
    /// config keeps no cache (no `storage.cache`), so a `HEAD` of a manifest answers 404 at
    /// once afterwards (the tests check it).
    public func wipeStorage() throws {
        let manager = FileManager.default
        for entry in try manager.contentsOfDirectory(atPath: storagePath) {
            try manager.removeItem(atPath: storagePath + "/" + entry)
        }
    }

    /// `HEAD /v2/<repository>/manifests/<tag>` with `Accept:
    /// application/vnd.docker.distribution.manifest.v2+json` (and basic auth as the first user,
    /// when there are users): the `Docker-Content-Digest`, or nil on 404. Any other status throws.
    public func manifestDigest(repository: String, tag: String) async throws -> String? {
        var headers = [("Accept", "application/vnd.docker.distribution.manifest.v2+json")]
        if let user = users.keys.sorted().first {
            headers.append(("Authorization", "Basic " + Data("\(user):\(users[user] ?? "")".utf8).base64EncodedString()))
        }
        let port = port
        let requestHeaders = headers
        let head = try await BlockingWork.run(name: "local-registry-head") {
            try LoopbackHTTP.head(port: port, path: "/v2/\(repository)/manifests/\(tag)", headers: requestHeaders)
        }
        switch head.status {
        case 200:
            guard let digest = head.headers["docker-content-digest"] else {
                throw LocalRegistryError("HEAD \(repository):\(tag) answered 200 without Docker-Content-Digest")
            }
            return digest
        case 404:
            return nil
        default:
            throw LocalRegistryError("HEAD \(repository):\(tag) on \(address) answered \(head.status)")
        }
    }

    private func start() throws {
        let launched = Process()
        launched.executableURL = URL(fileURLWithPath: "/usr/bin/docker-registry")
        launched.arguments = ["serve", configPath]
        launched.standardOutput = FileHandle.nullDevice
        launched.standardError = FileHandle.nullDevice
        try launched.run()
        process.withLock { $0 = launched }
    }

    private static func run(_ program: String, _ arguments: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: program) else {
            throw LocalRegistryError("\(program) is missing: install Debian's apache2-utils (scripts/setup.sh does)")
        }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: program)
        child.arguments = arguments
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        child.waitUntilExit()
        guard child.terminationStatus == 0 else {
            throw LocalRegistryError("\(program) \(arguments.first ?? "") … exited with \(child.terminationStatus)")
        }
    }

    private static func canConnect(port: Int) -> Bool {
        guard let fd = try? LoopbackHTTP.connect(port: port) else { return false }
        close(fd)
        return true
    }

    /// A port the kernel reports free right now (bind to port 0, read it back, close).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A `LocalRegistry` step failed: what, and why.
public struct LocalRegistryError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
