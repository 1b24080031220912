import WBuildDocker
import WBuildSpec

/// Runs a plan's `run` steps in a container, in order, through `docker exec`: argv steps
/// directly, string steps through `/bin/sh -c` (a clear error when the image has no shell).
/// A step that exits non-zero stops the sequence with `.stepFailed`, its output and exit code.
struct RunStepRunner: Sendable {
    let client: DockerClient

    func run(_ steps: [RunStep], in containerID: String) async throws(LiveUpdateError) {
        for step in steps {
            let arguments = step.command.arguments
            let result: ExecResult
            do {
                result = try await client.exec(containerID, command: arguments)
            } catch {
                throw LiveUpdateError(.stepFailed, "run step `\(Self.display(step.command))` could not start",
                                      container: containerID, cause: error)
            }
            guard result.exitCode != 0 else { continue }
            let output = result.stdoutText + result.stderrText
            if case .shell = step.command, EngineArchiveSync.isMissingBinary(result), output.contains("/bin/sh") {
                throw LiveUpdateError(.noShell, "run step `\(Self.display(step.command))` needs /bin/sh, which the image does not have",
                                      container: containerID, exitCode: result.exitCode, output: output,
                                      hint: "write the step as an argument array ([\"/app/tool\", \"arg\"]) or add a shell to the image")
            }
            throw LiveUpdateError(.stepFailed, "run step `\(Self.display(step.command))` failed", container: containerID,
                                  exitCode: result.exitCode, output: output,
                                  hint: "fix the step or the files it works on; the image is not rebuilt for a failing step")
        }
    }

    static func display(_ command: TaskCommand) -> String {
        switch command {
        case .shell(let script): return script
        case .argv(let arguments): return arguments.joined(separator: " ")
        }
    }
}
