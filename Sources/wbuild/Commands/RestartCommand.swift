import WBuild

/// `wbuild restart WORKLOAD…`: new replicas (swapped in without going dark), or the process only
/// for live-updated workloads; exit 0 when each is ready again, 1 otherwise.
enum RestartCommand {
    static func run(_ context: CommandContext) async throws -> Int32 {
        let timeout = try context.readyTimeout()
        let engine = try Engine.load(projectFile: context.projectFile, events: context.events,
                                     workloads: .run(readyTimeout: timeout))
        defer { engine.runtime?.shutdown() }
        let result = try await engine.restart(context.arguments.positionals, parallelism: try context.parallelism())
        if context.json {
            JSONRenderer(console: context.console).render(result.json)
        } else {
            HumanRenderer(console: context.console, verbose: context.verbose).summarize(result, command: "restart")
            for node in result.nodes where node.id.kind == "workload" {
                guard let how = node.output?.fields["restarted"] else { continue }
                let what = how == "process" ? "process restarted (pid \(node.output?.fields["pids"] ?? "?"))" : "new replicas"
                context.console.out("  \(node.id.name): \(what)" + (node.output?.fields["urls"].map { "  \($0)" } ?? ""))
            }
        }
        return result.ok ? 0 : 1
    }
}
