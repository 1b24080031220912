import WBuildSpec

/// Targets of the commands that are about running workloads only (`status`, `logs`, `restart`,
/// `exec`): a bare name, `workload:NAME` or `image:NAME` mean the workload; a task or an
/// unknown name is a usage error (exit 2) naming the closest workload and all of them.
enum WorkloadTargets {
    static func names(_ targets: [String], spec: ProjectSpec, projectFile: String, command: String) throws(WBuildError) -> [String] {
        var names: [String] = []
        for target in targets {
            let name = try self.name(target, spec: spec, projectFile: projectFile, command: command)
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    static func name(_ target: String, spec: ProjectSpec, projectFile: String, command: String) throws(WBuildError) -> String {
        var name = target
        for prefix in ["workload:", "image:"] where target.hasPrefix(prefix) { name = String(target.dropFirst(prefix.count)) }
        if spec.workload(named: name) != nil { return name }
        let workloads = spec.workloads.map(\.name)
        let list = workloads.isEmpty ? "the project defines no workloads" : "workloads: \(workloads.joined(separator: ", "))"
        if spec.task(named: name) != nil || target.hasPrefix("task:") {
            throw WBuildError(.usage, "`\(target)` is a task; `wbuild \(command)` is about workloads", hint: list)
        }
        let suggestion = Suggestion.closest(to: name, among: workloads).map { "; did you mean `\($0)`?" } ?? ""
        throw WBuildError(.usage, "no workload named `\(target)` in \(projectFile)\(suggestion)", hint: list)
    }
}
