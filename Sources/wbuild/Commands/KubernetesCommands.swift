import WBuild

/// `deploy`, `status` and `down` with `--target kubernetes|helm`: the cluster of a kube
/// context, through kubectl and Helm.
enum KubernetesCommands {
    /// `wbuild deploy --target kubernetes|helm [--context C] [--plan] [--wait|--no-wait]
    /// [--timeout T] [--kube-version V]`: exit 0 when every Deployment rolled out (or nothing
    /// changed), 1 when one did not.
    static func deploy(_ context: CommandContext, target: RenderTarget) async throws -> Int32 {
        var options = KubernetesDeployOptions(target: target, context: context.arguments.value("context"),
                                              plan: context.arguments.has("plan"), wait: !context.arguments.has("no-wait"))
        if context.arguments.value("timeout") != nil { options.timeout = try context.readyTimeout() }
        if let version = context.arguments.value("kube-version") {
            guard let parsed = KubernetesVersion(parsing: version) else {
                throw UsageError(message: "--kube-version takes a Kubernetes version like 1.30 or v1.20, got `\(OptionValues.shown(version))`",
                                 command: context.arguments.command)
            }
            options.kubeVersion = parsed
        }
        let engine = try Engine.load(projectFile: context.projectFile, events: context.events)
        let result = try await engine.deployKubernetes(options)
        if context.json {
            context.console.out(result.json.rendered)
        } else {
            KubernetesReport(console: context.console).deployed(result)
        }
        return result.ok ? 0 : 1
    }

    static func status(_ context: CommandContext, target: RenderTarget) async throws -> Int32 {
        let engine = try Engine.load(projectFile: context.projectFile, events: context.events)
        let status = try await engine.kubernetesStatus(target: target, context: context.arguments.value("context"))
        if context.json { context.console.out(status.json.rendered) } else { KubernetesReport(console: context.console).status(status) }
        return 0
    }

    static func down(_ context: CommandContext, target: RenderTarget) async throws -> Int32 {
        let engine = try Engine.load(projectFile: context.projectFile, events: context.events)
        let removed = try await engine.kubernetesDown(target: target, context: context.arguments.value("context"))
        if context.json {
            context.console.out(JSONText.object([("type", .string("down")), ("target", .string(target.rawValue)),
                                                 ("removed", .array(removed.map(JSONText.string)))]).rendered)
        } else {
            context.console.out("down: removed \(removed.isEmpty ? "nothing (the project was not deployed)" : removed.joined(separator: ", "))")
        }
        return 0
    }

    /// The Kubernetes target of `--target`, nil for swarm.
    static func target(_ name: String) -> RenderTarget? {
        name == "kubernetes" || name == "helm" ? RenderTarget(rawValue: name) : nil
    }
}
