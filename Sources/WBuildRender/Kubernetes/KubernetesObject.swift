/// One object of a Kubernetes rendering and the file it goes in (`api-deployment.yaml`).
struct KubernetesObject {
    var apiVersion: String
    var kind: String
    var name: String
    /// The file name without folder: `<workload>-<kind>.yaml` (`namespace.yaml` for the namespace).
    var file: String
    /// Everything after `metadata`: `spec`, `data`, `type`…
    var body: RenderMap
    var metadata: RenderMap
    /// Whether it is written, and (Helm) the condition its template is wrapped in.
    var gate: ObjectGate = .always
    /// The workload it belongs to (a Helm chart's `templates/<workload>/`), nil for the
    /// project's own (namespace, volumes).
    var workload: String?

    /// The whole object, `apiVersion` first as kubectl writes it.
    var document: RenderValue {
        var map = RenderMap()
        map.set("apiVersion", .string(apiVersion))
        map.set("kind", .string(kind))
        map.set("metadata", .map(metadata))
        for entry in body.entries { map.set(entry.key, entry.value) }
        return .map(map)
    }
}

/// The `metadata` every object of a project gets: name, namespace and the project's labels.
struct KubernetesMetadata {
    let project: String
    /// The namespace as written: a name, or a template expression (Helm).
    let namespace: RenderValue

    func metadata(name: String, workload: String?, namespaced: Bool = true,
                  extraLabels: [(String, String)] = [], annotations: [(String, String)] = []) -> RenderMap {
        var map = RenderMap()
        map.set("name", .string(name))
        if namespaced { map.set("namespace", namespace) }
        map.set("labels", .strings(ProjectLabels.labels(project: project, workload: workload) + extraLabels))
        if !annotations.isEmpty { map.set("annotations", .strings(annotations)) }
        return map
    }
}
