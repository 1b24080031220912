import WBuildCore
import WBuildWorkloads

extension Engine {
    /// `wbuild restart WORKLOAD…`: what the workloads need is brought up to date as by `up`
    /// (built or cached), then each named workload restarts: a live-updated one restarts its
    /// process only (through its supervisor: same container, same synced files), the others get
    /// new replicas, swapped in without going dark (the old ones serve until the new are ready).
    /// A workload that was not running is simply started. Needs an engine loaded with `.run`.
    public func restart(_ targets: [String], parallelism: Int) async throws(WBuildError) -> RunResult {
        guard let runtime else {
            throw WBuildError(.usage, "the project has no workloads to restart", hint: "restart is for workloads; `wbuild once` runs tasks")
        }
        guard !targets.isEmpty else {
            throw WBuildError(.usage, "name the workloads to restart",
                              hint: "workloads: \(project.spec.workloads.map(\.name).joined(separator: ", "))")
        }
        let names = try WorkloadTargets.names(targets, spec: project.spec, projectFile: project.layout.root + "/wbuild.json",
                                              command: "restart")
        let processOnly = Set(names.filter { project.spec.workload(named: $0).map(WorkloadRule.usesSupervisor) ?? false })
        let ids = Set(names.map { NodeID(kind: "workload", name: $0) })
        let replaced = Set(ids.filter { !processOnly.contains($0.name) })
        try await checkEngine(for: ids)
        let summary = await scheduler.runPass(PassOptions(targets: ids, forcedNodes: replaced, parallelism: parallelism))
        saveState()
        var results: [NodeResult] = []
        for result in summary.results {
            guard result.id.kind == "workload", ids.contains(result.id) else {
                results.append(result)
                continue
            }
            var fields = result.output?.fields ?? [:]
            guard processOnly.contains(result.id.name), result.status == .cached, let output = result.output else {
                if result.status == .built { fields["restarted"] = "replicas" }
                results.append(NodeResult(id: result.id, status: result.status, milliseconds: result.milliseconds, reason: result.reason,
                                          output: result.output.map { NodeOutput(hash: $0.hash, fields: fields) }, failure: result.failure))
                continue
            }
            let clock = ContinuousClock(), start = clock.now
            do {
                let processes = try await runtime.restartProcesses(workload: result.id.name)
                fields["restarted"] = "process"
                fields["pids"] = processes.sorted { $0.key < $1.key }.map { String($0.value) }.joined(separator: " ")
                results.append(NodeResult(id: result.id, status: .built, milliseconds: Self.ms(clock.now - start), reason: .forced,
                                          output: NodeOutput(hash: output.hash, fields: fields)))
            } catch {
                results.append(NodeResult(id: result.id, status: .failed, milliseconds: Self.ms(clock.now - start), reason: .forced,
                                          output: output, failure: error))
            }
        }
        return RunResult(summary: PassSummary(results: results, milliseconds: summary.milliseconds))
    }

    static func ms(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
