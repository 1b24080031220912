import WBuildCore
import WBuildDocker
import WBuildSpec
import WBuildWorkloads

/// How `wbuild exec` runs its command.
public struct ExecOptions: Sendable {
    /// The workload (a bare name, `workload:NAME` or `image:NAME`).
    public var workload: String
    /// Which replica (default 0).
    public var replica: Int
    public var command: [String]
    /// Give the command a terminal (when the caller's stdin is one), sized `rows`×`columns`.
    public var tty: Bool
    public var size: (rows: Int, columns: Int)?

    public init(workload: String, replica: Int = 0, command: [String], tty: Bool = false, size: (rows: Int, columns: Int)? = nil) {
        self.workload = workload
        self.replica = replica
        self.command = command
        self.tty = tty
        self.size = size
    }
}

extension Engine {
    /// `wbuild exec`: runs a command in a running replica of a workload, attached to this
    /// process's stdin, stdout and stderr; returns the command's exit code.
    public static func exec(projectFile: String = ProjectLoader.defaultFileName, _ options: ExecOptions) async throws(WBuildError) -> Int {
        let (spec, runtime, path) = try runtime(projectFile: projectFile, events: .none)
        defer { runtime.shutdown() }
        let name = try WorkloadTargets.name(options.workload, spec: spec, projectFile: path, command: "exec")
        guard !options.command.isEmpty else {
            throw WBuildError(.usage, "no command to run", hint: "wbuild exec \(name) -- COMMAND [ARG…]")
        }
        let states: [WorkloadState]
        do {
            states = try await runtime.status()
        } catch {
            throw WBuildError(.engineUnavailable, error.message, hint: error.hint)
        }
        let replicas = states.first { $0.workload == name }?.replicas.filter { $0.engineState == "running" } ?? []
        guard let replica = replicas.first(where: { $0.replica == options.replica }) else {
            let running = replicas.map { String($0.replica) }
            throw WBuildError(.failed, running.isEmpty ? "workload `\(name)` is not running"
                                                       : "workload `\(name)` has no running replica \(options.replica)",
                              hint: running.isEmpty ? "start it with `wbuild up \(name)`" : "running replicas: \(running.joined(separator: ", "))")
        }
        let client: DockerClient
        do {
            client = try DockerClient()
        } catch {
            throw WBuildError(.engineUnavailable, error.message, hint: error.hint)
        }
        do {
            return try await client.execAttached(replica.containerID, command: options.command, tty: options.tty, size: options.size)
        } catch let error as DockerError {
            throw WBuildError(.failed, "exec in \(replica.containerName): \(error.message)",
                              hint: error.hint ?? "is `\(options.command[0])` in the image? (scratch images have no shell)")
        } catch {
            throw WBuildError(.failed, "exec in \(replica.containerName): \(error)")
        }
    }
}
