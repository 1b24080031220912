import Foundation
import WBuildSystem

/// Debian's `docker-registry serve CONFIG` (distribution 2.8) on 127.0.0.1 at a free port, its
/// storage in a directory of its own, for the publish suite: every "first publish" gets a new
/// one, so nothing is there yet and the engine has never pushed to that address. The engine
/// treats 127.0.0.0/8 as an insecure registry, so no daemon change is needed.
struct LocalRegistry: Sendable {
    static let binary = "/usr/bin/docker-registry"

    let port: Int
    /// Holds `config.yml` and `storage/`; removed by `stop()`.
    let directory: String
    let process: StampedProcess

    /// `127.0.0.1:PORT`, as image references name it.
    var address: String { "127.0.0.1:\(port)" }

    /// Writes the config, starts the registry and waits (≤ 15 s) until `GET /v2/` answers 200.
    static func start(in directory: String) async throws(BenchError) -> LocalRegistry {
        guard access(binary, X_OK) == 0 else {
            throw BenchError(.commandFailed, "no \(binary)",
                             hint: "apt-get install docker-registry (bash scripts/bench.sh publish installs it without starting its service)")
        }
        try TreeGenerator.makeDirectories(directory + "/storage")
        let port = try HTTPProbe.freePort()
        try ContainerProjectFiles.write(config(port: port, storage: directory + "/storage"), to: directory + "/config.yml")
        let process = try StampedProcess.start(.argv([binary, "serve", directory + "/config.yml"]), in: directory)
        let registry = LocalRegistry(port: port, directory: directory, process: process)
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline, process.child.exitStatus == nil {
            let answer = await BlockingWork.run(name: "wbuild-bench registry probe") { HTTPProbe.get(port: port, path: "/v2/") }
            if let answer, Self.statusCode(answer) == 200 { return registry }
            try? await Task.sleep(for: .milliseconds(20))
        }
        await registry.stop()
        throw BenchError(.commandFailed, "publish: `\(binary) serve` did not answer 200 on 127.0.0.1:\(port)/v2/ within 15 s",
                         detail: process.tailText)
    }

    /// The registry's configuration: errors only in its log, no access log, filesystem storage,
    /// 127.0.0.1 only.
    static func config(port: Int, storage: String) -> String {
        """
        version: 0.1
        log:
          level: error
          accesslog:
            disabled: true
        storage:
          filesystem:
            rootdirectory: \(storage)
        http:
          addr: 127.0.0.1:\(port)

        """
    }

    /// SIGTERM (SIGKILL after 5 s), then its storage is removed.
    func stop() async {
        _ = await process.stop(grace: .seconds(5))
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The `Docker-Content-Digest` the registry answers to `HEAD /v2/REPOSITORY/manifests/TAG`
    /// (asked with curl, accepting Docker's and OCI's manifest and index types), or `nil` when it
    /// does not have that tag.
    func manifestDigest(repository: String, tag: String, in directory: String) async -> String? {
        let accept = ["application/vnd.docker.distribution.manifest.v2+json",
                      "application/vnd.docker.distribution.manifest.list.v2+json",
                      "application/vnd.oci.image.manifest.v1+json",
                      "application/vnd.oci.image.index.v1+json"]
        let command = ProcessCommand.argv(["curl", "-sS", "-I", "--max-time", "10"] + accept.flatMap { ["-H", "Accept: " + $0] }
                                          + ["http://\(address)/v2/\(repository)/manifests/\(tag)"])
        guard let run = try? await ProcessTimer.run(command, in: directory), run.status.isSuccess else { return nil }
        let headers = run.output.filter { $0.stream == .stdout }.map(\.line)
        guard let first = headers.first, Self.statusCode(first) == 200 else { return nil }
        return Self.header("Docker-Content-Digest", in: headers)
    }

    /// The status code of an HTTP response's first line (`HTTP/1.1 200 OK` → 200).
    static func statusCode(_ response: String) -> Int? {
        let statusLine = response.prefix(while: { $0 != "\r" && $0 != "\n" })
        let fields = statusLine.split(separator: " ")
        guard fields.count >= 2, fields[0].hasPrefix("HTTP/") else { return nil }
        return Int(fields[1])
    }

    /// A header's value (name compared case-insensitively, surrounding spaces and `\r` dropped).
    static func header(_ name: String, in lines: [String]) -> String? {
        for line in lines {
            guard let colon = line.firstIndex(of: ":"),
                  line[..<colon].lowercased() == name.lowercased() else { continue }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return nil
    }
}
