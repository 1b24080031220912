import WBuildSpec

/// A workload's pod: its container and sidecars, probes, resources, environment and volumes.
struct KubernetesPod {
    let workload: WorkloadSpec
    let input: RenderInput
    let settings: KubernetesSettings
    let values: any ClusterValues
    /// The ConfigMap the container's env comes from, when it has env.
    let configMapName: String?
    let secretName: String?

    private var keyPath: String { "workloads.\(workload.name)" }
    private var valuesPath: [String] { ["workloads", workload.name] }

    /// The pod template's `spec`.
    func spec(problems: inout [RenderProblem]) -> RenderMap {
        var spec = RenderMap()
        if !settings.imagePullSecrets.isEmpty {
            spec.set("imagePullSecrets", .list(settings.imagePullSecrets.map { ["name": .string($0)] }))
        }
        spec.set("terminationGracePeriodSeconds", .integer(Quantities.seconds(workload.stopGraceMs, minimum: 0)))
        var containers = [mainContainer(problems: &problems)]
        containers += workload.sidecars.map(sidecarContainer)
        spec.set("containers", .list(containers))
        let volumes = podVolumes(problems: &problems)
        if !volumes.isEmpty { spec.set("volumes", .list(volumes)) }
        return spec
    }

    private func mainContainer(problems: inout [RenderProblem]) -> RenderValue {
        let process = ClusterProcess(workload: workload, input: input, problems: &problems)
        var container = RenderMap()
        container.set("name", .string(workload.name))
        container.set("image", values.image(input.image(of: workload), at: valuesPath + ["image"]))
        container.set("command", process.entrypoint.map { .list($0.map(RenderValue.string)) })
        container.set("args", process.command.map { .list($0.map(RenderValue.string)) })
        container.set("workingDir", workload.workdir.map(RenderValue.string))
        let ports = containerPorts(problems: &problems)
        if !ports.isEmpty { container.set("ports", .list(ports)) }
        if let configMapName {
            container.set("envFrom", [["configMapRef": ["name": .string(configMapName)]]])
        }
        if let secretName, !workload.secretEnv.isEmpty {
            container.set("env", .list(workload.secretEnv.map { secret in
                ["name": .string(secret.name),
                 "valueFrom": ["secretKeyRef": ["name": .string(secretName), "key": .string(secret.name)]]]
            }))
        }
        container.set("resources", values.optional(resources(problems: &problems), at: valuesPath + ["resources"], empty: .emptyMap))
        container.set("readinessProbe", workload.readiness.map(Self.probe))
        container.set("livenessProbe", workload.liveness.map(Self.probe))
        container.set("startupProbe", workload.startup.map(Self.probe))
        let mounts = volumeMounts()
        if !mounts.isEmpty { container.set("volumeMounts", .list(mounts)) }
        return .map(container)
    }

    private func sidecarContainer(_ sidecar: SidecarSpec) -> RenderValue {
        let process = ClusterProcess(sidecar: sidecar)
        var container = RenderMap()
        container.set("name", .string(sidecar.name))
        container.set("image", .string(sidecar.image))
        container.set("command", process.entrypoint.map { .list($0.map(RenderValue.string)) })
        container.set("args", process.command.map { .list($0.map(RenderValue.string)) })
        if !process.environment.isEmpty {
            container.set("env", .list(process.environment.map { ["name": .string($0.key), "value": .string($0.value)] }))
        }
        return .map(container)
    }

    /// Declared ports but the debug port (a debugger attaches on the laptop, not in a cluster).
    var servedPorts: [PortSpec] {
        workload.ports.filter { $0.container != workload.debug?.port }
    }

    private func containerPorts(problems: inout [RenderProblem]) -> [RenderValue] {
        servedPorts.enumerated().map { index, port in
            let name = KubernetesNames.portName(port)
            if !KubernetesNames.isPortName(name) {
                problems.append(RenderProblem(
                    keyPath: "\(keyPath).ports[\(index)].name",
                    "the port name \"\(name)\" is not a Kubernetes port name",
                    hint: "use at most 15 lowercase letters, digits and single `-`, with at least one letter, e.g. \"http\""))
            }
            return ["name": .string(name), "containerPort": .integer(port.container), "protocol": "TCP"]
        }
    }

    /// Requests and limits alike (the laptop's limits are what the app was tried with), GPUs as
    /// the cluster's extended resource.
    private func resources(problems: inout [RenderProblem]) -> RenderValue? {
        let limits = workload.resources
        var quantities = RenderMap()
        quantities.set("cpu", limits.cpus.map { .string(Quantities.cpu($0)) })
        quantities.set("memory", limits.memoryBytes.map { .string(Quantities.memory($0)) })
        var gpuLimits = quantities
        if let gpus = limits.gpus {
            let at = "\(keyPath).resources.gpus"
            switch (gpus, settings.gpuResource) {
            case (_, nil):
                problems.append(RenderProblem(keyPath: at, "GPUs cannot be rendered for Kubernetes without the resource name the cluster schedules them by",
                                              hint: "set kubernetes.gpuResource, e.g. \"nvidia.com/gpu\""))
            case (.all, _):
                problems.append(RenderProblem(keyPath: at, "\"all\" GPUs cannot be requested from a Kubernetes scheduler",
                                              hint: "ask for a count, e.g. `gpus: 1`"))
            case (.count(let count), let resource?):
                gpuLimits.set(resource, .integer(count))
            }
        }
        guard !gpuLimits.isEmpty else { return nil }
        var map = RenderMap()
        if !quantities.isEmpty { map.set("requests", .map(quantities)) }
        map.set("limits", .map(gpuLimits))
        return .map(map)
    }

    /// A probe: http → `httpGet`, tcp → `tcpSocket`, exec → `exec`; times in whole seconds.
    static func probe(_ probe: ProbeSpec) -> RenderValue {
        var map = RenderMap()
        switch probe.check {
        case .http(let path, let port): map.set("httpGet", ["path": .string(path), "port": .integer(port)])
        case .tcp(let port): map.set("tcpSocket", ["port": .integer(port)])
        case .exec(let command): map.set("exec", ["command": .list(command.map(RenderValue.string))])
        }
        if probe.initialDelayMs > 0 {
            map.set("initialDelaySeconds", .integer(Quantities.seconds(probe.initialDelayMs, minimum: 0)))
        }
        map.set("periodSeconds", .integer(Quantities.seconds(probe.intervalMs)))
        map.set("timeoutSeconds", .integer(Quantities.seconds(probe.timeoutMs)))
        map.set("failureThreshold", .integer(probe.failureThreshold))
        return .map(map)
    }

    /// The pod's name for the `index`th mount: the claim's name, or `host-N` for an emptyDir.
    static func volumeName(_ volume: VolumeSpec, index: Int) -> String? {
        switch volume.source {
        case .named(let name): return KubernetesNames.volumeName(name)
        case .hostPath: return "host-\(index)"
        }
    }

    private func volumeMounts() -> [RenderValue] {
        workload.volumes.enumerated().compactMap { index, volume in
            guard let name = Self.volumeName(volume, index: index) else { return nil }
            var mount = RenderMap()
            mount.set("name", .string(name))
            mount.set("mountPath", .string(volume.target))
            if volume.readOnly { mount.set("readOnly", true) }
            return .map(mount)
        }
    }

    private func podVolumes(problems: inout [RenderProblem]) -> [RenderValue] {
        var seen: Set<String> = []
        return workload.volumes.enumerated().compactMap { index, volume in
            guard let name = Self.volumeName(volume, index: index) else {
                problems.append(RenderProblem(keyPath: "\(keyPath).volumes[\(index)]",
                                              "the volume name cannot be made a Kubernetes name",
                                              hint: "use lowercase letters, digits and `-`, e.g. \"data\""))
                return nil
            }
            guard seen.insert(name).inserted else { return nil }
            switch volume.source {
            case .named: return ["name": .string(name), "persistentVolumeClaim": ["claimName": .string(name)]]
            case .hostPath: return ["name": .string(name), "emptyDir": .emptyMap]
            }
        }
    }
}
