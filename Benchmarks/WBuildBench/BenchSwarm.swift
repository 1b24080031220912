import Foundation
import WBuildSystem

/// The three-node test swarm of `scripts/swarm-test-cluster.sh`, as the swarm suite drives it:
/// started under a name of its own (so it never meets the tests' cluster), commands run inside
/// a node's network namespace (where the registry and the nodes' addresses answer), stopped
/// at the end leaving nothing behind.
struct BenchSwarm: Sendable {
    let name: String
    let script: String
    /// `unix://…` of the manager (n1).
    let dockerHost: String
    /// `ADDRESS:PORT` of the registry every node pulls from.
    let registry: String
    /// Node name → its address on the hub network, sorted by name.
    let nodes: [(name: String, address: String)]
    let directory: String

    /// Starts the cluster (`start NAME`) and reads what it exports.
    static func start(name: String, in directory: String) async throws(BenchError) -> BenchSwarm {
        let script = FileManager.default.currentDirectoryPath + "/scripts/swarm-test-cluster.sh"
        guard FileManager.default.isExecutableFile(atPath: script) || FileManager.default.fileExists(atPath: script) else {
            throw BenchError(.usage, "no \(script)", hint: "run wbuild-bench from the repository's root (scripts/bench.sh does)")
        }
        let run = try await ProcessTimer.runChecked(.argv(["/bin/sh", script, "start", name]), in: directory, tailLines: 200)
        var values: [String: String] = [:]
        for line in run.output.map(\.line) where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count)
            guard let equals = pair.firstIndex(of: "=") else { continue }
            values[String(pair[..<equals])] = String(pair[pair.index(after: equals)...]).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        }
        guard let host = values["DOCKER_HOST"], let registry = values["WBUILD_SWARM_REGISTRY"],
              let nodeList = values["WBUILD_SWARM_NODES"], let clusterDirectory = values["WBUILD_SWARM_DIR"] else {
            throw BenchError(.commandFailed, "`swarm-test-cluster.sh start \(name)` printed no environment", detail: run.outputText)
        }
        let nodes = nodeList.split(separator: " ").compactMap { pair -> (String, String)? in
            let parts = pair.split(separator: "=")
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }.sorted { $0.0 < $1.0 }
        return BenchSwarm(name: name, script: script, dockerHost: host, registry: registry, nodes: nodes, directory: clusterDirectory)
    }

    /// Copies `image` from the machine's default engine into every node.
    func load(image: String, in directory: String) async throws(BenchError) {
        try await ProcessTimer.runChecked(.argv(["/bin/sh", script, "load", image]), in: directory, environment: environment)
    }

    func stop(in directory: String) async {
        _ = try? await ProcessTimer.run(.argv(["/bin/sh", script, "stop", name]), in: directory, environment: environment)
    }

    /// `argv` inside `node`'s network namespace (`hub`, `n1`…), the Docker CLI pointed at the manager.
    func exec(_ node: String, _ argv: [String]) -> ProcessCommand {
        .argv(["/bin/sh", script, "exec", node] + argv)
    }

    /// What every command of the suite runs with: the cluster's name and the manager.
    var environment: [String: String] { ["WBUILD_SWARM_NAME": name, "DOCKER_HOST": dockerHost, "NO_COLOR": "1"] }

    /// `unix://…` of `node`'s own engine (a node's containers show only there).
    func dockerHost(of node: String) -> String { "unix://\(directory)/\(node)/docker.sock" }

    /// `docker ARGS` against `node`'s engine (the manager by default): its trimmed stdout lines,
    /// or nil when it failed.
    func docker(_ arguments: [String], on node: String = "n1", in directory: String) async -> [String]? {
        var environment = environment
        environment["DOCKER_HOST"] = dockerHost(of: node)
        guard let run = try? await ProcessTimer.run(.argv(["docker"] + arguments), in: directory, environment: environment, tailLines: 1000),
              run.status.isSuccess else { return nil }
        return run.output.filter { $0.stream == .stdout }.map { $0.line.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
