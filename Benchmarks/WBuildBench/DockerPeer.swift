import Foundation
import WBuildSystem

/// The Docker CLI and Docker Compose v2 as the container suites call them: the peers they
/// time, and the clean-up of everything a suite built or started.
enum DockerPeer {
    /// The label every Dockerfile a suite writes carries (`LABEL wbuild-bench.run=NAME`), so
    /// every image built from it — by wbuild, `docker build` or `docker compose build` — can
    /// be found and removed afterwards.
    static let runLabel = "wbuild-bench.run"

    /// `docker compose -p NAME ARGS…` (compose.yaml in the working directory).
    static func compose(_ project: String, _ arguments: [String]) -> ProcessCommand {
        .argv(["docker", "compose", "-p", project] + arguments)
    }

    /// `docker ARGS…`
    static func docker(_ arguments: [String]) -> ProcessCommand { .argv(["docker"] + arguments) }

    /// The environment that makes `docker build` use the classic builder.
    static let classicBuilder = ["DOCKER_BUILDKIT": "0"]

    /// Checks `docker compose version`, so a missing plugin shows as one clear problem.
    static func checkCompose(in directory: String) async throws(BenchError) {
        let run = try await ProcessTimer.run(.argv(["docker", "compose", "version"]), in: directory)
        guard run.status.isSuccess else {
            throw BenchError(.commandFailed, "`docker compose version` ended with \(run.status)", detail: run.failureText,
                             hint: "install the Compose v2 plugin: bash scripts/bench.sh compose")
        }
    }

    /// Removes, best effort, what a suite left: the wbuild project (`wbuild down --volumes`),
    /// the compose project (containers, network, volumes), every container and image
    /// labelled with the run's name, and the volumes named after it. Returns what
    /// `wbuild down --volumes` should have removed and did not (wbuild's volumes still
    /// there after it), for the report.
    @discardableResult
    static func cleanUp(run name: String, wbuild: String?, in directory: String) async -> [String] {
        var leftByWbuild: [String] = []
        if let wbuild {
            _ = try? await ProcessTimer.run(.argv([wbuild, "down", "--volumes"]), in: directory)
            let left = await lines(of: docker(["volume", "ls", "-q", "--filter", "name=wbuild-\(name)"]), in: directory)
            for volume in left {
                let labels = await lines(of: docker(["volume", "inspect", "--format", "{{json .Labels}}", volume]), in: directory)
                leftByWbuild.append("\(volume) (labels: \(labels.joined()))")
            }
        }
        _ = try? await ProcessTimer.run(compose(name, ["down", "--volumes", "--remove-orphans", "-t", "0"]), in: directory)
        if let containers = try? await ProcessTimer.run(
            docker(["ps", "-aq", "--filter", "label=\(runLabel)=\(name)"]), in: directory) {
            let ids = containers.output.filter { $0.stream == .stdout }.map(\.line).filter { !$0.isEmpty }
            if !ids.isEmpty { _ = try? await ProcessTimer.run(docker(["rm", "-f"] + ids), in: directory) }
        }
        if let images = try? await ProcessTimer.run(
            docker(["images", "-q", "--filter", "label=\(runLabel)=\(name)"]), in: directory) {
            let ids = Array(Set(images.output.filter { $0.stream == .stdout }.map(\.line).filter { !$0.isEmpty }))
            if !ids.isEmpty { _ = try? await ProcessTimer.run(docker(["rmi", "-f"] + ids), in: directory) }
        }
        let volumes = await lines(of: docker(["volume", "ls", "-q", "--filter", "name=\(name)"]), in: directory)
        if !volumes.isEmpty { _ = try? await ProcessTimer.run(docker(["volume", "rm", "-f"] + volumes), in: directory) }
        return leftByWbuild
    }

    /// The non-empty stdout lines of a command (an empty list when it fails).
    private static func lines(of command: ProcessCommand, in directory: String) async -> [String] {
        guard let run = try? await ProcessTimer.run(command, in: directory), run.status.isSuccess else { return [] }
        return run.output.filter { $0.stream == .stdout }.map(\.line).filter { !$0.isEmpty }
    }

    /// A project name unique to this run: lower case letters and digits, as Compose wants.
    static func projectName(_ suite: String) -> String {
        "wbb\(getpid())\(suite)"
    }
}
