import WBuildSpec
import WBuildSystem
import WBuildWorkloads

/// `wbuild logs` output with the project's secrets masked: an app that prints its environment
/// shows `(secret)` where a `secretEnv` or `build.secretArgs` value was.
enum MaskedLogs {
    static func wrap(_ lines: AsyncThrowingStream<WorkloadLogLine, any Error>, spec: ProjectSpec,
                     projectFile: String) -> AsyncThrowingStream<WorkloadLogLine, any Error> {
        let mask = SecretMask(project: spec, projectRoot: AtomicFile.parentDirectoryPath(of: projectFile))
        guard !mask.isEmpty else { return lines }
        return AsyncThrowingStream { continuation in
            let relay = Task {
                do {
                    for try await var line in lines {
                        line.text = mask.apply(line.text)
                        continuation.yield(line)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in relay.cancel() }
        }
    }
}
