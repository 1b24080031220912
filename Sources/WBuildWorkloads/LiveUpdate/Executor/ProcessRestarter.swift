import WBuildSystem
import Foundation
import WBuildDocker

/// Restarts a supervised container's process: asks the supervisor over its channel, or, when the
/// channel is unreachable, through `docker exec /.wbuild/init ctl restart` (no shell needed).
/// Returns the new process id once the supervisor has started it.
struct ProcessRestarter: Sendable {
    let client: DockerClient

    func restart(containerID: String, endpoint: ControlEndpoint?) async throws(LiveUpdateError) -> Int {
        if let endpoint {
            do {
                return try await BlockingWork.run(name: "wbuild-live-update-restart") {
                    try ControlChannel.withConnection(to: endpoint) { channel throws(LiveUpdateError) in
                        try channel.restartProcess()
                    }
                }
            } catch let error as LiveUpdateError where error.code == .supervisorUnreachable {
                // fall through to exec
            } catch let error as LiveUpdateError {
                throw LiveUpdateError(error.code, error.message, container: containerID, cause: error.cause.map(DescribedError.init),
                                      hint: "see the container's logs for why its command did not start")
            } catch {
                throw LiveUpdateError(.supervisorFailed, "restart failed", container: containerID, cause: error)
            }
        }
        let result: ExecResult
        do {
            result = try await client.exec(containerID, command: [SupervisorBinary.containerPath, "ctl", "restart"])
        } catch {
            throw LiveUpdateError(.supervisorFailed, "cannot reach the supervisor through docker exec", container: containerID, cause: error)
        }
        let reply = result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.exitCode == 0, reply.hasPrefix("OK") else {
            throw LiveUpdateError(.supervisorFailed, "the supervisor could not restart the process", container: containerID,
                                  exitCode: result.exitCode, output: result.stdoutText + result.stderrText,
                                  hint: "see the container's logs for why its command did not start")
        }
        return Int(reply.dropFirst(2).trimmingCharacters(in: .whitespaces)) ?? 0
    }
}
