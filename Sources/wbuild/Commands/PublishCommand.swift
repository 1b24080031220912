import WBuild

/// `wbuild publish`: once for the images, then push what the registry lacks; exit 0 when every
/// image is in the registry, 1 otherwise.
enum PublishCommand {
    static func run(_ context: CommandContext) async throws -> Int32 {
        let engine = try Engine.load(projectFile: context.projectFile, events: context.events,
                                     publishRegistry: context.arguments.value("registry"))
        let result = try await engine.publish(OnceOptions(targets: context.arguments.positionals,
                                                          parallelism: try context.parallelism()))
        if context.json {
            JSONRenderer(console: context.console).render(result.json)
        } else {
            let renderer = HumanRenderer(console: context.console, verbose: context.verbose)
            renderer.summarize(result, command: "publish")
            renderer.listPublished(result)
        }
        return result.ok ? 0 : 1
    }
}
