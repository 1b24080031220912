import WBuildSpec

/// The labels every rendered object carries, so `deploy`, `down` and the user's own
/// selectors find a project's objects: the `app.kubernetes.io` set and wbuild's own.
public enum ProjectLabels {
    /// `app.kubernetes.io/{name,instance,part-of,managed-by}`, `dev.wbuild.project` and, for a
    /// workload's objects, `dev.wbuild.workload`.
    public static func labels(project: String, workload: String?) -> [(String, String)] {
        var labels: [(String, String)] = []
        if let workload { labels.append(("app.kubernetes.io/name", workload)) }
        labels += [
            ("app.kubernetes.io/instance", project),
            ("app.kubernetes.io/part-of", project),
            ("app.kubernetes.io/managed-by", "wbuild"),
            ("dev.wbuild.project", project),
        ]
        if let workload { labels.append(("dev.wbuild.workload", workload)) }
        return labels
    }

    /// What selects a workload's pods or tasks: stable across versions (never the fingerprint).
    public static func selector(project: String, workload: String) -> [(String, String)] {
        [("app.kubernetes.io/name", workload), ("app.kubernetes.io/instance", project)]
    }
}
