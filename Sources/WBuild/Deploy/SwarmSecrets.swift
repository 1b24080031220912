import WBuildDocker
import WBuildSpec
import WBuildWorkloads

/// `secretEnv` as Swarm secrets. A secret cannot change in place, so each value gets a name of
/// its own: `<stack>_<workload>_<NAME>_<12 hex>`, the hex a keyed digest of the value (never
/// the value, never a plain hash of it: `FingerprintKey`). A changed value is a new secret and
/// a rolling update; the old one is removed once nothing uses it.
struct SwarmSecrets {
    let client: DockerClient
    let projectRoot: String

    /// Creates the secrets the spec's values need (those that exist are reused) and returns
    /// them per workload and variable.
    func ensure(spec: ProjectSpec, stack: String) async throws(WBuildError) -> [String: [String: SwarmDeployment.Secret]] {
        let resolver = SecretResolver(projectRoot: projectRoot)
        var result: [String: [String: SwarmDeployment.Secret]] = [:]
        let existing: [SwarmSecret]
        do {
            existing = try await client.listSecrets(labels: ["com.docker.stack.namespace=\(stack)"])
        } catch {
            throw WBuildError(.failed, "cannot list the swarm's secrets: \(error)", hint: "check that DOCKER_HOST is a swarm manager")
        }
        for workload in spec.workloads where !workload.secretEnv.isEmpty {
            let resolved: [ResolvedSecret]
            do {
                resolved = try await resolver.resolveOffPool(workload.secretEnv)
            } catch {
                throw WBuildError(.failed, error.description, hint: error.hint)
            }
            for secret in resolved {
                let name = "\(stack)_\(workload.name)_\(secret.name)_\(secret.digest.prefix(12))"
                if let found = existing.first(where: { $0.Spec.Name == name }) {
                    result[workload.name, default: [:]][secret.name] = .init(id: found.ID, name: name)
                    continue
                }
                do {
                    let id = try await client.createSecret(name: name, value: Array(secret.value.revealed.utf8), labels: [
                        "com.docker.stack.namespace": stack, "dev.wbuild.project": spec.name, "dev.wbuild.workload": workload.name,
                    ])
                    result[workload.name, default: [:]][secret.name] = .init(id: id, name: name)
                } catch {
                    throw WBuildError(.failed, "cannot create the swarm secret \(name) for workloads.\(workload.name).secretEnv.\(secret.name): \(error)",
                                      hint: "check that DOCKER_HOST is a swarm manager")
                }
            }
        }
        return result
    }

    /// Removes the stack's secrets that `keep` does not name; one still in use by a task that
    /// is shutting down stays (the next deploy removes it).
    func prune(stack: String, keep: Set<String>) async {
        guard let existing = try? await client.listSecrets(labels: ["com.docker.stack.namespace=\(stack)"]) else { return }
        for secret in existing where !keep.contains(secret.Spec.Name) {
            try? await client.removeSecret(secret.ID)
        }
    }
}
