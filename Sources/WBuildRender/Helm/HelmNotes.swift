import WBuildSpec

/// `templates/NOTES.txt`, which `helm install` prints: where the app answers.
enum HelmNotes {
    static func notes(_ spec: ProjectSpec) -> String {
        var lines = ["{{ .Chart.Name }} is installed in the namespace {{ .Values.namespace }}."]
        let routes = spec.workloads.flatMap(\.routes)
        if routes.isEmpty {
            lines.append("It has no routes; reach its Services with `kubectl -n {{ .Values.namespace }} port-forward svc/NAME PORT`.")
        } else {
            lines.append("{{- if .Values.ingress.enabled }}")
            lines.append("Its routes:")
            for rule in routes {
                let host = rule.host.map { "{{ index .Values.ingress.hosts \(JSONEmitter.string($0)) }}" }
                    ?? "{{ .Values.ingress.defaultHost | default \"INGRESS-ADDRESS\" }}"
                lines.append("  http://\(host)\(rule.path)\(rule.match == .prefix && rule.path != "/" ? "/…" : "") → \(rule.workload)")
            }
            lines.append("{{- else }}")
            lines.append("Its ingress is off (ingress.enabled: false): route to its Services yourself.")
            lines.append("{{- end }}")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
