import Foundation

/// A three-node Docker Swarm on this machine, started and stopped by
/// `scripts/swarm-test-cluster.sh` (read it for the layout): dockerds `n1` (the manager), `n2`,
/// `n3`, each in a network namespace of its own on a hub bridge, with a registry on the hub that
/// every node pulls from. The machine's default engine, its `docker0` and its iptables are never
/// touched.
///
/// Meant to be shared by one suite: start it once before the suite's tests and `stop()` it after
/// them (the end-to-end tests do it with a suite trait, `.swarmTestCluster`). Each test deploys a
/// project of its own name, so they share the cluster but no services.
///
/// The manager's socket (`dockerHost`) is a unix socket and works from here; node and registry
/// addresses answer only inside the namespaces: run what must reach them (the `wbuild` under
/// test, which talks to the registry itself) with `wbuild(_:in:)` or `run(in:_:)`.
public final class SwarmTestCluster: Sendable {
    public static var script: String { WBuildBinary.packageRoot + "/scripts/swarm-test-cluster.sh" }

    /// The cluster's name: its directory is /tmp/wbuild-swarm-NAME, its namespaces wbs-NAME-….
    public let name: String
    /// What `DOCKER_HOST` says to reach the manager (n1).
    public let dockerHost: String
    /// `ADDRESS:PORT` of the registry, as every node (and `wbuild` run in a node) reaches it.
    public let registry: String
    /// Node name (`n1`…) → its address on the hub network.
    public let nodes: [String: String]
    public let directory: String

    public var nodeNames: [String] { nodes.keys.sorted() }

    /// Starts the cluster (the script keeps one that already runs) and reads its addresses.
    public init(name: String = "e2e") throws {
        self.name = name
        let started = PrivateEngine.run(["/bin/sh", Self.script, "start", name])
        guard started.status == 0 else {
            throw PrivateEngine.EngineError("`swarm-test-cluster.sh start \(name)` failed with status \(started.status)", log: started.output)
        }
        var values: [String: String] = [:]
        for line in started.output.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count)
            guard let equals = pair.firstIndex(of: "=") else { continue }
            values[String(pair[..<equals])] = String(pair[pair.index(after: equals)...]).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        }
        guard let host = values["DOCKER_HOST"], let registry = values["WBUILD_SWARM_REGISTRY"],
              let nodes = values["WBUILD_SWARM_NODES"], let directory = values["WBUILD_SWARM_DIR"] else {
            throw PrivateEngine.EngineError("`swarm-test-cluster.sh start \(name)` printed no environment", log: started.output)
        }
        dockerHost = host
        self.registry = registry
        self.directory = directory
        self.nodes = Dictionary(uniqueKeysWithValues: nodes.split(separator: " ").compactMap { pair in
            let parts = pair.split(separator: "=")
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        })
    }

    /// Stops every daemon and removes the namespaces, the directory and the cgroups.
    public func stop() {
        _ = PrivateEngine.run(["/bin/sh", Self.script, "stop", name])
    }

    /// `unix://…` of `node`'s own engine (each node's containers are seen on its own engine).
    public func dockerHost(of node: String) -> String { "unix://\(directory)/\(node)/docker.sock" }

    /// `docker ARGS` against the manager; trimmed stdout, nil when it failed.
    @discardableResult
    public func docker(_ arguments: [String], on node: String = "n1") -> String? {
        let result = PrivateEngine.run([DockerCLI.path] + arguments, environment: ["DOCKER_HOST": dockerHost(of: node)])
        return result.status == 0 ? result.output.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// Copies `image` from the machine's default engine into every node.
    public func load(image: String) throws {
        let result = script(["load", image])
        guard result.status == 0 else { throw PrivateEngine.EngineError("loading \(image) into the nodes failed", log: result.output) }
    }

    /// SIGKILLs `node`'s dockerd and its containerd, as when the engine crashes.
    public func killEngine(_ node: String) {
        _ = script(["kill", node])
    }

    /// Starts a killed node's dockerd again (it rejoins the swarm on its own).
    public func revive(_ node: String) {
        _ = script(["revive", node])
    }

    /// `argv` run to its end in `node`'s network namespace (`hub`, `n1`…): status, stdout + stderr.
    public func run(in node: String, _ argv: [String], environment: [String: String] = [:]) -> (status: Int32, output: String) {
        script(["exec", node] + argv, environment: environment)
    }

    /// `wbuild ARGS` run in `directory` inside n1's namespace (where the registry answers),
    /// against the manager, at most `timeout`.
    public func wbuild(_ arguments: [String], in directory: String, timeout: Duration = .seconds(300)) -> WBuildBinary.Run {
        let out = NSTemporaryDirectory() + "/wbuild-swarm-out-\(UUID().uuidString)"
        defer {
            unlink(out)
            unlink(out + "-err")
        }
        let quoted = ([WBuildBinary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let seconds = String(timeout.components.seconds)
        let result = run(in: "n1", ["/usr/bin/timeout", seconds, "/bin/sh", "-c", "cd '\(directory)' && exec \(quoted) >'\(out)' 2>'\(out)-err'"],
                         environment: ["DOCKER_HOST": dockerHost, "NO_COLOR": "1"])
        let stdout = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: out + "-err", encoding: .utf8)) ?? ""
        return WBuildBinary.Run(exitCode: result.status, stdout: stdout, stderr: stderr + (result.status == 124 ? "\n(timed out after \(timeout))" : ""))
    }

    private func script(_ arguments: [String], environment: [String: String] = [:]) -> (status: Int32, output: String) {
        var environment = environment
        environment["WBUILD_SWARM_NAME"] = name
        return PrivateEngine.run(["/bin/sh", Self.script] + arguments, environment: environment)
    }
}
