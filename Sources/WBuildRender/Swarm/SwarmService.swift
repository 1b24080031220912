import WBuildSpec

/// One workload as compose-file services: its own, and one per sidecar.
struct SwarmService {
    let workload: WorkloadSpec
    let input: RenderInput
    let stack: String

    /// The workload's service: image, process, environment, secrets, volumes, healthcheck and
    /// `deploy` (replicas, resources, update and rollback order, restart policy, labels).
    func main(problems: inout [RenderProblem], warnings: inout [String]) -> RenderValue {
        let process = ClusterProcess(workload: workload, input: input, problems: &problems)
        var service = RenderMap()
        service.set("image", .string(input.image(of: workload).reference))
        service.set("entrypoint", process.entrypoint.map { .list($0.map(RenderValue.string)) })
        service.set("command", process.command.map { .list($0.map(RenderValue.string)) })
        service.set("working_dir", workload.workdir.map(RenderValue.string))
        if !process.environment.isEmpty {
            service.set("environment", .strings(process.environment.map { ($0.key, $0.value) }))
        }
        if !workload.secretEnv.isEmpty {
            service.set("secrets", .list(workload.secretEnv.map { secret in
                ["source": .string(Self.secretKey(workload: workload.name, secret: secret.name)), "target": .string(secret.name)]
            }))
        }
        let mounts: [RenderValue] = workload.volumes.compactMap { volume in
            guard case .named(let name) = volume.source else { return nil }
            return .string("\(name):\(volume.target)" + (volume.readOnly ? ":ro" : ""))
        }
        if !mounts.isEmpty { service.set("volumes", .list(mounts)) }
        if let readiness = workload.readiness {
            if let check = SwarmHealthcheck.test(for: readiness.check) {
                service.set("healthcheck", SwarmHealthcheck.healthcheck(check, probe: readiness))
            } else {
                warnings.append("\(workload.name)'s readiness probe (\(SwarmHealthcheck.kind(of: readiness.check))) is not in stack.yaml: a Swarm healthcheck runs inside the image, which may have no client; `wbuild deploy --target swarm` adds wbuild's own probe")
            }
        }
        service.set("stop_grace_period", .string(Quantities.duration(workload.stopGraceMs)))
        service.set("labels", .strings(ProjectLabels.labels(project: input.spec.name, workload: workload.name)))
        service.set("deploy", deploy(replicas: workload.autoscale?.min ?? workload.replicas, resources: workload.resources))
        return .map(service)
    }

    /// A sidecar as its own service beside the workload's, with the workload's replica count.
    func sidecar(_ sidecar: SidecarSpec) -> RenderValue {
        let process = ClusterProcess(sidecar: sidecar)
        var service = RenderMap()
        service.set("image", .string(sidecar.image))
        service.set("entrypoint", process.entrypoint.map { .list($0.map(RenderValue.string)) })
        service.set("command", process.command.map { .list($0.map(RenderValue.string)) })
        if !process.environment.isEmpty {
            service.set("environment", .strings(process.environment.map { ($0.key, $0.value) }))
        }
        var labels = ProjectLabels.labels(project: input.spec.name, workload: workload.name)
        labels.append(("dev.wbuild.sidecar", sidecar.name))
        service.set("labels", .strings(labels))
        service.set("deploy", deploy(replicas: workload.autoscale?.min ?? workload.replicas, resources: ResourceLimits()))
        return .map(service)
    }

    private func deploy(replicas: Int, resources: ResourceLimits) -> RenderValue {
        let rollout = workload.rollout ?? RolloutSpec()
        var deploy = RenderMap()
        deploy.set("mode", "replicated")
        deploy.set("replicas", .integer(replicas))
        deploy.set("endpoint_mode", "dnsrr")
        var limits = RenderMap()
        limits.set("cpus", resources.cpus.map { .string(JSONEmitter.number($0)) })
        limits.set("memory", resources.memoryBytes.map { .string(Self.composeMemory($0)) })
        if !limits.isEmpty { deploy.set("resources", ["limits": .map(limits), "reservations": .map(limits)]) }
        var update = RenderMap()
        update.set("parallelism", .integer(rollout.parallelism))
        update.set("order", .string(rollout.order.rawValue))
        update.set("failure_action", .string(rollout.failureAction.rawValue))
        update.set("monitor", .string(Quantities.duration(rollout.monitorMs)))
        deploy.set("update_config", .map(update))
        deploy.set("rollback_config", ["parallelism": .integer(rollout.parallelism), "order": .string(rollout.order.rawValue)])
        deploy.set("restart_policy", ["condition": "any"])
        deploy.set("labels", .strings(ProjectLabels.labels(project: input.spec.name, workload: workload.name)))
        return .map(deploy)
    }

    /// The key under the file's `secrets:`, e.g. `api_DB_PASSWORD`.
    static func secretKey(workload: String, secret: String) -> String { "\(workload)_\(secret)" }

    /// The Swarm secret's own name, e.g. `shop_api_DB_PASSWORD`.
    static func secretName(stack: String, workload: String, secret: String) -> String { "\(stack)_\(workload)_\(secret)" }

    /// Compose's byte units (`64M`, `1G`, else bytes as `b`).
    static func composeMemory(_ bytes: Int) -> String {
        for (unit, size) in [("g", 1 << 30), ("m", 1 << 20), ("k", 1 << 10)] where bytes % size == 0 {
            return "\(bytes / size)\(unit)"
        }
        return "\(bytes)b"
    }
}
