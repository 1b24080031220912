import WBuildSpec

/// Every object a project becomes on Kubernetes, in the order a reader expects (namespace,
/// then per workload its ConfigMap, Secret, Deployment, Service, autoscaler, then volumes and
/// routes); shared by `--target kubernetes` and `--target helm`, which differ only in
/// `ClusterValues`.
struct KubernetesObjectSet {
    var objects: [KubernetesObject]
    var warnings: [String]

    /// The objects, or every problem that stops them.
    init(input: RenderInput, values: any ClusterValues, target: RenderTarget) throws(RenderError) {
        let spec = input.spec
        let settings = spec.kubernetes ?? KubernetesSettings()
        var problems = PortabilityChecks.hostPathProblems(spec, target: target, allowEmptyDir: settings.hostPaths == .emptyDir)
        var warnings = PortabilityChecks.localImageWarnings(input)
        let namespace = settings.namespace ?? spec.name
        let metadata = KubernetesMetadata(project: spec.name, namespace: values.value(.string(namespace), at: ["namespace"]))
        var objects: [KubernetesObject] = []
        var namespaceObject = KubernetesObject(
            apiVersion: "v1", kind: "Namespace", name: namespace, file: "namespace.yaml", body: RenderMap(),
            metadata: metadata.metadata(name: namespace, workload: nil, namespaced: false))
        namespaceObject.metadata.set("name", metadata.namespace)
        namespaceObject.gate = values.gate(!(settings.cluster?.existing ?? false), at: ["createNamespace"])
        objects.append(namespaceObject)
        for workload in spec.workloads {
            objects += KubernetesWorkloadObjects(workload: workload, input: input, settings: settings, values: values, metadata: metadata)
                .objects(problems: &problems)
        }
        objects += Self.claims(spec, values: values, metadata: metadata)
        let routing = KubernetesRouting(spec: spec, settings: settings, values: values, metadata: metadata)
        objects += routing.objects(problems: &problems, warnings: &warnings)
        var seen: Set<String> = []
        problems = problems.filter { seen.insert($0.description).inserted }
        guard problems.isEmpty else { throw RenderError(target: target, problems: problems) }
        self.objects = objects
        self.warnings = warnings
    }

    /// A PersistentVolumeClaim per named volume (ReadWriteOnce, 1Gi unless values say more).
    private static func claims(_ spec: ProjectSpec, values: any ClusterValues, metadata: KubernetesMetadata) -> [KubernetesObject] {
        var names: [String] = []
        for workload in spec.workloads {
            for volume in workload.volumes {
                guard case .named(let volumeName) = volume.source, let name = KubernetesNames.volumeName(volumeName),
                      !names.contains(name) else { continue }
                names.append(name)
            }
        }
        return names.map { name in
            let spec: RenderValue = [
                "accessModes": ["ReadWriteOnce"],
                "resources": ["requests": ["storage": values.value("1Gi", at: ["volumes", name, "size"])]],
            ]
            return KubernetesObject(apiVersion: "v1", kind: "PersistentVolumeClaim", name: name,
                                    file: "\(name)-persistentvolumeclaim.yaml",
                                    body: RenderMap([.init(key: "spec", value: spec)]),
                                    metadata: metadata.metadata(name: name, workload: nil))
        }
    }
}
