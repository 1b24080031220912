import WBuildSpec

/// The objects one workload becomes: a Deployment, a Service for its ports, a ConfigMap for
/// its env, a Secret for its `secretEnv` and an autoscaler.
struct KubernetesWorkloadObjects {
    let workload: WorkloadSpec
    let input: RenderInput
    let settings: KubernetesSettings
    let values: any ClusterValues
    let metadata: KubernetesMetadata

    private var name: String { workload.name }
    private var keyPath: String { "workloads.\(workload.name)" }
    private var valuesPath: [String] { ["workloads", workload.name] }
    private var selector: RenderValue { .strings(ProjectLabels.selector(project: input.spec.name, workload: name)) }

    func objects(problems: inout [RenderProblem]) -> [KubernetesObject] {
        if !KubernetesNames.isDNSLabel(name) {
            problems.append(RenderProblem(keyPath: keyPath, "the workload name \"\(name)\" is not a Kubernetes Service name",
                                          hint: "start it with a letter: Service names are DNS-1035 labels"))
        }
        var objects: [KubernetesObject] = []
        var configMapName: String?
        if let configMap = configMap(problems: &problems) {
            configMapName = configMap.name
            objects.append(configMap)
        }
        let secret = self.secret()
        if let secret { objects.append(secret) }
        let pod = KubernetesPod(workload: workload, input: input, settings: settings, values: values,
                                configMapName: configMapName, secretName: secret?.name)
        objects.append(deployment(pod: pod, problems: &problems))
        if let service = service(ports: pod.servedPorts) { objects.append(service) }
        objects.append(autoscaler(problems: &problems))
        return objects
    }

    private func deployment(pod: KubernetesPod, problems: inout [RenderProblem]) -> KubernetesObject {
        let autoscaled = workload.autoscale != nil
        var spec = RenderMap()
        spec.set("replicas", values.unless(autoscaled, at: valuesPath + ["autoscaling", "enabled"],
                                           values.value(.integer(workload.replicas), at: valuesPath + ["replicas"])))
        spec.set("selector", ["matchLabels": selector])
        spec.set("strategy", strategy)
        let podSpec = pod.spec(problems: &problems)
        spec.set("template", [
            "metadata": ["labels": .strings(ProjectLabels.labels(project: input.spec.name, workload: name))],
            "spec": .map(podSpec),
        ])
        return KubernetesObject(apiVersion: "apps/v1", kind: "Deployment", name: name, file: "\(name)-deployment.yaml",
                                body: RenderMap([.init(key: "spec", value: .map(spec))]),
                                metadata: metadata.metadata(name: name, workload: name), workload: name)
    }

    /// `rollout` as a rolling update: start-first surges by the parallelism and keeps every old
    /// pod until a new one is ready; stop-first takes old pods down first.
    private var strategy: RenderValue {
        let rollout = workload.rollout ?? RolloutSpec()
        let surge = rollout.order == .startFirst ? rollout.parallelism : 0
        let unavailable = rollout.order == .startFirst ? 0 : rollout.parallelism
        return ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": .integer(surge), "maxUnavailable": .integer(unavailable)]]
    }

    private func service(ports: [PortSpec]) -> KubernetesObject? {
        guard !ports.isEmpty else { return nil }
        let servicePorts: [RenderValue] = ports.map { port in
            var map = RenderMap()
            let portName = KubernetesNames.portName(port)
            map.set("name", .string(portName))
            map.set("port", .integer(port.container))
            map.set("targetPort", .string(portName))
            map.set("protocol", "TCP")
            map.set("appProtocol", Self.appProtocol(port.protocol).map(RenderValue.string))
            return .map(map)
        }
        return KubernetesObject(apiVersion: "v1", kind: "Service", name: name, file: "\(name)-service.yaml",
                                body: RenderMap([.init(key: "spec", value: ["selector": selector, "ports": .list(servicePorts)])]),
                                metadata: metadata.metadata(name: name, workload: name), workload: name)
    }

    /// `http` → `http`, `http2` → `kubernetes.io/h2c` (cleartext HTTP/2), `grpc` → `grpc`.
    static func appProtocol(_ portProtocol: PortProtocol) -> String? {
        switch portProtocol {
        case .http: return "http"
        case .http2: return "kubernetes.io/h2c"
        case .grpc: return "grpc"
        case .tcp: return nil
        }
    }

    /// The env with bindings resolved; its name carries a hash of the data, so a changed env
    /// is a new ConfigMap and the Deployment that names it rolls.
    private func configMap(problems: inout [RenderProblem]) -> KubernetesObject? {
        let process = ClusterProcess(workload: workload, input: input, problems: &problems)
        guard !process.environment.isEmpty else { return nil }
        let pairs = process.environment.map { ($0.key, $0.value) }
        let hash = KubernetesNames.contentHash(pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "\n"))
        let configName = "\(name)-env-\(hash)"
        return KubernetesObject(apiVersion: "v1", kind: "ConfigMap", name: configName, file: "\(name)-configmap.yaml",
                                body: RenderMap([.init(key: "data", value: .strings(pairs))]),
                                metadata: metadata.metadata(name: configName, workload: name), workload: name)
    }

    /// A Secret with no data: its keys are listed in an annotation and the values are supplied
    /// at deploy time, so no file holds them.
    private func secret() -> KubernetesObject? {
        guard !workload.secretEnv.isEmpty else { return nil }
        let secretName = "\(name)-secrets"
        let keys = workload.secretEnv.map(\.name).joined(separator: ",")
        return KubernetesObject(apiVersion: "v1", kind: "Secret", name: secretName, file: "\(name)-secret.yaml",
                                body: RenderMap([.init(key: "type", value: "Opaque")]),
                                metadata: metadata.metadata(name: secretName, workload: name,
                                                            annotations: [("dev.wbuild.secret-keys", keys)]), workload: name)
    }

    /// A HorizontalPodAutoscaler on CPU, `autoscaling/v2` (or `v2beta2` before Kubernetes
    /// 1.23). Always built, so a Helm chart can switch it on for any workload; written for
    /// `--target kubernetes` only when the workload autoscales.
    private func autoscaler(problems: inout [RenderProblem]) -> KubernetesObject {
        let autoscale = workload.autoscale
        if autoscale != nil, workload.resources.cpus == nil {
            problems.append(RenderProblem(keyPath: "\(keyPath).autoscale",
                                          "autoscaling on CPU needs a CPU request: the target is a share of it",
                                          hint: "set resources.cpus, e.g. `resources: { cpus: 0.5 }`"))
        }
        let path = valuesPath + ["autoscaling"]
        let gate = values.gate(autoscale != nil, at: path + ["enabled"])
        var spec = RenderMap()
        spec.set("scaleTargetRef", ["apiVersion": "apps/v1", "kind": "Deployment", "name": .string(name)])
        spec.set("minReplicas", values.value(.integer(autoscale?.min ?? workload.replicas), at: path + ["minReplicas"]))
        spec.set("maxReplicas", values.value(.integer(autoscale?.max ?? max(workload.replicas, 1)), at: path + ["maxReplicas"]))
        spec.set("metrics", [[
            "type": "Resource",
            "resource": ["name": "cpu", "target": [
                "type": "Utilization",
                "averageUtilization": values.value(.integer(autoscale?.cpuPercent ?? AutoscaleSpec.defaultCPUPercent),
                                                   at: path + ["targetCPUUtilizationPercentage"]),
            ]],
        ]])
        let version = input.kubeVersion.map { $0 < KubernetesVersion(major: 1, minor: 23) } == true ? "autoscaling/v2beta2" : "autoscaling/v2"
        return KubernetesObject(apiVersion: version, kind: "HorizontalPodAutoscaler", name: name,
                                file: "\(name)-horizontalpodautoscaler.yaml",
                                body: RenderMap([.init(key: "spec", value: .map(spec))]),
                                metadata: metadata.metadata(name: name, workload: name), gate: gate, workload: name)
    }
}
