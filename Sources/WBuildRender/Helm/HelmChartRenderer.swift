import WBuildSpec

/// `--target helm`: a chart in `helm create`'s layout under `<chart>/` whose templates are the
/// `--target kubernetes` objects with what differs between clusters read from `values.yaml`:
/// per workload the image (registry, repository, tag, digest), replicas, autoscaling and
/// resources; the ingress (enabled, class, hosts by the spec's host, a default host, TLS);
/// the namespace and whether to create it; volume sizes. With its default values
/// `helm template` gives the same objects as `--target kubernetes`.
///
/// `values.schema.json` is derived from the defaults, closed everywhere but `resources`,
/// `ingress.hosts` and `ingress.tls`, so a misspelt key in a cluster's values file fails
/// `helm lint` and `helm install` instead of being ignored.
public struct HelmChartRenderer: Renderer {
    public let target = RenderTarget.helm

    public init() {}

    public func render(_ input: RenderInput) throws(RenderError) -> Rendering {
        let chart = Self.chartName(input.spec)
        let values = HelmValues(chart: chart)
        let set = try KubernetesObjectSet(input: input, values: values, target: .helm)
        let header = "# Rendered by wbuild from wbuild.json (\(input.spec.name)); `wbuild render --target helm` writes it anew.\n"
        var files: [RenderedFile] = set.objects.map { object in
            var contents = header
            if let condition = object.gate.condition { contents += "{{- if \(condition) }}\n" }
            contents += YAMLEmitter.document(object.document)
            if object.gate.condition != nil { contents += "{{- end }}\n" }
            return RenderedFile(path: "\(chart)/templates/\(Self.templatePath(object))", contents: contents)
        }
        let defaults = Self.ordered(values.defaults)
        files.append(RenderedFile(path: "\(chart)/Chart.yaml", contents: YAMLEmitter.document(chartFile(input.spec, chart: chart))))
        files.append(RenderedFile(path: "\(chart)/values.yaml", contents: Self.valuesHeader(chart) + YAMLEmitter.document(.map(defaults))))
        files.append(RenderedFile(path: "\(chart)/values.schema.json", contents: JSONEmitter.document(HelmValuesSchema.schema(for: defaults))))
        files.append(RenderedFile(path: "\(chart)/templates/_helpers.tpl", contents: Self.helpers(chart)))
        files.append(RenderedFile(path: "\(chart)/templates/NOTES.txt", contents: HelmNotes.notes(input.spec)))
        files.append(RenderedFile(path: "\(chart)/.helmignore", contents: "# Files helm package leaves out.\n.git/\n*.swp\n*~\n"))
        return Rendering(target: .helm, files: files, warnings: set.warnings)
    }

    /// `helm.chart`, else the project's name.
    public static func chartName(_ spec: ProjectSpec) -> String {
        spec.helm?.chart ?? spec.name
    }

    /// `api/deployment.yaml` for a workload's object, `namespace.yaml` and
    /// `volumes/data.yaml` for the project's.
    static func templatePath(_ object: KubernetesObject) -> String {
        guard let workload = object.workload else {
            return object.kind == "Namespace" ? "namespace.yaml" : "volumes/\(object.name).yaml"
        }
        let prefix = workload + "-"
        let file = object.file.hasPrefix(prefix) ? String(object.file.dropFirst(prefix.count)) : object.file
        return "\(workload)/\(file)"
    }

    private func chartFile(_ spec: ProjectSpec, chart: String) -> RenderValue {
        [
            "apiVersion": "v2",
            "name": .string(chart),
            "description": .string("The \(spec.name) app (\(spec.workloads.map(\.name).joined(separator: ", "))), rendered by wbuild from wbuild.json."),
            "type": "application",
            "version": .string(spec.helm?.version ?? HelmSettings.defaultVersion),
        ]
    }

    private static func valuesHeader(_ chart: String) -> String {
        """
        # Defaults for the \(chart) chart: what this project's wbuild.json and its published images give.
        # Override per cluster with `helm upgrade --install -f cluster.yaml` (kubernetes.cluster.valuesFile);
        # `wbuild render --target helm --values cluster.yaml` checks such a file against values.schema.json.

        """
    }

    /// `image` (registry, repository, tag, digest) as one reference: `@digest` when pinned.
    private static func helpers(_ chart: String) -> String {
        """
        {{/* The image reference of a workload's `image` values: registry/repository@digest, else :tag. */}}
        {{- define "\(chart).image" -}}
        {{- $repository := .repository -}}
        {{- if .registry -}}{{- $repository = printf "%s/%s" .registry .repository -}}{{- end -}}
        {{- if .digest -}}
        {{- printf "%s@%s" $repository .digest -}}
        {{- else if .tag -}}
        {{- printf "%s:%s" $repository .tag -}}
        {{- else -}}
        {{- $repository -}}
        {{- end -}}
        {{- end -}}

        """
    }

    /// The values in the order a reader looks for them: per workload image, replicas,
    /// autoscaling, resources; the ingress switch before its class, hosts and TLS.
    static func ordered(_ defaults: RenderMap) -> RenderMap {
        var result = defaults
        if case .map(let workloads)? = defaults["workloads"] {
            var sorted = RenderMap()
            for entry in workloads.entries {
                guard case .map(let values) = entry.value else { sorted.set(entry.key, entry.value); continue }
                sorted.set(entry.key, .map(reordered(values, first: ["image", "replicas", "autoscaling", "resources"])))
            }
            result.set("workloads", .map(sorted))
        }
        if case .map(let ingress)? = defaults["ingress"] {
            result.set("ingress", .map(reordered(ingress, first: ["enabled", "className", "defaultHost", "hosts", "tls"])))
        }
        return result
    }

    private static func reordered(_ map: RenderMap, first keys: [String]) -> RenderMap {
        var ordered = RenderMap()
        for key in keys { ordered.set(key, map[key]) }
        for entry in map.entries { ordered.set(entry.key, entry.value) }
        return ordered
    }
}
