import WBuildCore
import WBuildDocker

extension WorkloadRuntime {
    /// Creates the container `name`. When a container of that name is left over — wbuild removed
    /// it, but the engine could not (after an outage its layer can stay busy for a moment:
    /// "device or resource busy"), so the name is still taken — that one is removed by force
    /// (a few tries, half a second apart and growing) and the create tried once more. Replica
    /// names carry the spec's fingerprint, so a container of the same name is always one of
    /// this workload's own.
    func createContainer(named name: String, config: ContainerConfig) async throws(NodeFailure) -> String {
        do {
            return try await client.createContainer(name: name, config: config)
        } catch let error as DockerError where error.status == 409 && error.message.contains("already in use") {
            try await removeLeftover(name)
        } catch {
            throw engineFailure("creating \(name)", error)
        }
        do {
            return try await client.createContainer(name: name, config: config)
        } catch {
            throw engineFailure("creating \(name) again after removing the container left with its name", error)
        }
    }

    private func removeLeftover(_ name: String) async throws(NodeFailure) {
        let attempts = 5
        for attempt in 1...attempts {
            do {
                try await client.removeContainer(name, force: true)
                return
            } catch let error as DockerError where error.kind == .notFound {
                return
            } catch {
                guard attempt < attempts else {
                    throw NodeFailure("the container \(name) is left over and the engine cannot remove it: \(error)",
                                      hint: "remove it with `docker rm -f \(name)` (if the engine says its layer is busy, restart the engine), then run wbuild again")
                }
                try? await Task.sleep(for: .milliseconds(500 * attempt))
            }
        }
    }
}
