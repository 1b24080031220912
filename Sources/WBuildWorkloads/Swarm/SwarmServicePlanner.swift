import WBuildDocker
import WBuildSpec

/// What a swarm deploy resolved before planning: per workload the image to run (pinned by
/// digest; with wbuild's probe baked in where a readiness or liveness check needs it) and the
/// Swarm secrets holding its `secretEnv`.
public struct SwarmDeployment: Sendable {
    /// A created Swarm secret: its id and its versioned name.
    public struct Secret: Sendable, Equatable {
        public var id: String
        public var name: String
        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public var spec: ProjectSpec
    public var stack: String
    /// Workload → the reference its tasks run.
    public var images: [String: String]
    /// Workloads whose image carries `/.wbuild/init` (for http and tcp health checks).
    public var probeImages: Set<String>
    /// Workload → variable name → its secret.
    public var secrets: [String: [String: Secret]]
    /// The router's image (`repo@sha256:…`), when the project has routes.
    public var routerImage: String?

    public init(spec: ProjectSpec, stack: String, images: [String: String], probeImages: Set<String> = [],
                secrets: [String: [String: Secret]] = [:], routerImage: String? = nil) {
        self.spec = spec
        self.stack = stack
        self.images = images
        self.probeImages = probeImages
        self.secrets = secrets
        self.routerImage = routerImage
    }

    /// `<stack>_default`: the attachable overlay network of the stack.
    public var networkName: String { "\(stack)_default" }

    /// What `docker stack` puts on everything of a stack, and wbuild's own project label.
    public var stackLabels: [String: String] {
        ["com.docker.stack.namespace": stack, "dev.wbuild.project": spec.name]
    }
}

/// Spec → Swarm services, as `docker stack deploy` would name and label them (`<stack>_<name>`,
/// `com.docker.stack.namespace`, an alias of the bare name on the stack network, so bindings
/// resolve as in the stack file).
public enum SwarmServicePlanner {
    public static func services(_ deployment: SwarmDeployment) -> [SwarmDesiredService] {
        var services: [SwarmDesiredService] = []
        for workload in deployment.spec.workloads {
            services.append(SwarmDesiredService(workload: workload.name, spec: main(workload, deployment)))
            for sidecar in workload.sidecars {
                services.append(SwarmDesiredService(workload: "\(workload.name)-\(sidecar.name)",
                                                    spec: sidecarSpec(sidecar, of: workload, deployment)))
            }
        }
        if let routerImage = deployment.routerImage, let router = SwarmRouterService.service(deployment, image: routerImage) {
            services.append(router)
        }
        return services
    }

    static func main(_ workload: WorkloadSpec, _ deployment: SwarmDeployment) -> SwarmServiceSpec {
        let image = deployment.images[workload.name] ?? ""
        let bindings = NetworkBindings(project: deployment.spec, imageReferences: deployment.images)
        func resolve(_ text: String) -> String {
            guard let template = try? BindingTemplate(parsing: text),
                  case .success(let value) = template.render(resolve: bindings.value(of:)) else { return text }
            return value
        }
        var container = SwarmServiceSpec.ContainerSpec(
            Image: image, Labels: deployment.stackLabels,
            Command: workload.entrypoint.map { $0.map(resolve) }, Args: workload.command.map { $0.map(resolve) },
            Dir: workload.workdir, Env: workload.env.isEmpty ? nil : workload.env.map { "\($0.key)=\(resolve($0.value))" },
            StopGracePeriod: Int64(workload.stopGraceMs) * 1_000_000)
        let mounts = workload.volumes.compactMap { volume -> SwarmServiceSpec.Mount? in
            guard case .named(let name) = volume.source else { return nil }
            return SwarmServiceSpec.Mount(Type: "volume", Source: "\(deployment.stack)_\(name)", Target: volume.target,
                                          ReadOnly: volume.readOnly ? true : nil)
        }
        if !mounts.isEmpty { container.Mounts = mounts }
        let secrets = workload.secretEnv.compactMap { secret -> SwarmServiceSpec.SecretReference? in
            guard let created = deployment.secrets[workload.name]?[secret.name] else { return nil }
            return SwarmServiceSpec.SecretReference(File: .init(Name: secret.name, Mode: 0o400), SecretID: created.id,
                                                    SecretName: created.name)
        }
        if !secrets.isEmpty { container.Secrets = secrets }
        container.Healthcheck = healthcheck(workload, probeBaked: deployment.probeImages.contains(workload.name))

        var resources: SwarmServiceSpec.Resources?
        if workload.resources.cpus != nil || workload.resources.memoryBytes != nil {
            let values = SwarmServiceSpec.Resources.Values(
                NanoCPUs: workload.resources.cpus.map { Int64(($0 * 1e9).rounded()) },
                MemoryBytes: workload.resources.memoryBytes.map(Int64.init))
            resources = SwarmServiceSpec.Resources(Limits: values, Reservations: values)
        }
        let rollout = workload.rollout ?? RolloutSpec()
        let update = SwarmServiceSpec.UpdateConfig(
            Parallelism: rollout.parallelism, Delay: 0, FailureAction: rollout.failureAction.rawValue,
            Monitor: Int64(rollout.monitorMs) * 1_000_000, MaxFailureRatio: 0, Order: rollout.order.rawValue)
        let rollback = SwarmServiceSpec.UpdateConfig(
            Parallelism: rollout.parallelism, Delay: 0, FailureAction: "pause",
            Monitor: Int64(rollout.monitorMs) * 1_000_000, MaxFailureRatio: 0, Order: rollout.order.rawValue)
        var labels = deployment.stackLabels
        labels["com.docker.stack.image"] = image
        labels["dev.wbuild.workload"] = workload.name
        return SwarmServiceSpec(
            Name: "\(deployment.stack)_\(workload.name)", Labels: labels,
            TaskTemplate: .init(ContainerSpec: container, Resources: resources,
                                RestartPolicy: .init(Condition: "any", Delay: 1_000_000_000, MaxAttempts: 0),
                                Networks: [.init(Target: deployment.networkName, Aliases: [workload.name])]),
            Mode: .init(replicas: workload.autoscale?.min ?? workload.replicas),
            UpdateConfig: update, RollbackConfig: rollback,
            EndpointSpec: .init(Mode: "dnsrr"))
    }

    static func sidecarSpec(_ sidecar: SidecarSpec, of workload: WorkloadSpec, _ deployment: SwarmDeployment) -> SwarmServiceSpec {
        var labels = deployment.stackLabels
        labels["com.docker.stack.image"] = sidecar.image
        labels["dev.wbuild.workload"] = workload.name
        labels["dev.wbuild.sidecar"] = sidecar.name
        let container = SwarmServiceSpec.ContainerSpec(
            Image: sidecar.image, Labels: deployment.stackLabels, Command: sidecar.entrypoint, Args: sidecar.command,
            Env: sidecar.env.isEmpty ? nil : sidecar.env.map { "\($0.key)=\($0.value)" })
        return SwarmServiceSpec(
            Name: "\(deployment.stack)_\(workload.name)-\(sidecar.name)", Labels: labels,
            TaskTemplate: .init(ContainerSpec: container, RestartPolicy: .init(Condition: "any", Delay: 1_000_000_000, MaxAttempts: 0),
                                Networks: [.init(Target: deployment.networkName, Aliases: ["\(workload.name)-\(sidecar.name)"])]),
            Mode: .init(replicas: workload.autoscale?.min ?? workload.replicas),
            UpdateConfig: .init(Parallelism: 1, FailureAction: "rollback", Order: "start-first"),
            EndpointSpec: .init(Mode: "dnsrr"))
    }

    /// Readiness as the healthcheck (a task counts as running, and an update moves on, only once
    /// healthy); liveness adds its failure threshold as retries. An http or tcp check runs
    /// through `/.wbuild/init probe` when the image has it baked in; an `exec` check runs as given.
    static func healthcheck(_ workload: WorkloadSpec, probeBaked: Bool) -> SwarmServiceSpec.Healthcheck? {
        guard let probe = workload.readiness ?? workload.liveness else { return nil }
        let test: [String]
        switch probe.check {
        case .exec(let command):
            test = ["CMD"] + command
        case .http(let path, let port):
            guard probeBaked else { return nil }
            test = ["CMD", "/.wbuild/init", "probe", "http", String(port), path, String(probe.timeoutMs)]
        case .tcp(let port):
            guard probeBaked else { return nil }
            test = ["CMD", "/.wbuild/init", "probe", "tcp", String(port), String(probe.timeoutMs)]
        }
        let retries = max(probe.failureThreshold, workload.liveness?.failureThreshold ?? 0)
        return SwarmServiceSpec.Healthcheck(
            Test: test, Interval: Int64(probe.intervalMs) * 1_000_000, Timeout: Int64(probe.timeoutMs + 500) * 1_000_000,
            Retries: retries, StartPeriod: Int64(probe.initialDelayMs) * 1_000_000)
    }

    /// Whether a workload's health check needs wbuild's probe in its image.
    public static func needsProbe(_ workload: WorkloadSpec) -> Bool {
        guard let probe = workload.readiness ?? workload.liveness else { return false }
        if case .exec = probe.check { return false }
        return true
    }
}
