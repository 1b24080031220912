import WBuild

/// `wbuild deploy --target swarm`: publish, then make the swarm run the spec; exit 0 when every
/// service converged (or nothing changed), 1 when one did not. `kubernetes` and `helm` go to
/// `KubernetesCommands`.
enum DeployCommand {
    static func run(_ context: CommandContext) async throws -> Int32 {
        let target = try self.target(context.arguments)
        if let kubernetes = KubernetesCommands.target(target) { return try await KubernetesCommands.deploy(context, target: kubernetes) }
        let engine = try Engine.load(projectFile: context.projectFile, events: context.events,
                                     publishRegistry: context.arguments.value("registry"))
        var options = SwarmDeployOptions(plan: context.arguments.has("plan"), wait: !context.arguments.has("no-wait"),
                                         initSwarm: context.arguments.has("init"))
        if context.arguments.value("timeout") != nil { options.timeout = try context.readyTimeout() }
        let result = try await engine.deploySwarm(options)
        if context.json {
            context.console.out(result.json.rendered)
        } else {
            SwarmReport(console: context.console).deployed(result)
        }
        return result.ok ? 0 : 1
    }

    /// `--target`: required; `swarm`, `kubernetes` or `helm`.
    static func target(_ arguments: ParsedArguments) throws(UsageError) -> String {
        guard let target = arguments.value("target") else {
            throw UsageError(message: "\(arguments.command) needs --target swarm, kubernetes or helm", command: arguments.command)
        }
        guard ["swarm", "kubernetes", "helm"].contains(target) else {
            throw UsageError(message: "--target takes swarm, kubernetes or helm, got `\(OptionValues.shown(target))`", command: arguments.command)
        }
        return target
    }
}
