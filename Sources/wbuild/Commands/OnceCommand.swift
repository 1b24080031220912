import WBuild

/// `wbuild once`: one pass over the graph, then exit 0 (all built or cached) or 1.
enum OnceCommand {
    static func run(_ context: CommandContext) async throws -> Int32 {
        let engine = try Engine.load(projectFile: context.projectFile, events: context.events)
        let result = try await engine.once(OnceOptions(targets: context.arguments.positionals,
                                                       force: context.arguments.has("force"),
                                                       parallelism: try context.parallelism()))
        if context.json {
            JSONRenderer(console: context.console).render(result.json)
        } else {
            HumanRenderer(console: context.console, verbose: context.verbose).summarize(result, command: "once")
        }
        return result.ok ? 0 : 1
    }
}
