import WBuild

/// `wbuild render --target T [--out DIR]`: once for the images, then the target's files; exit 0
/// when they are written (or already up to date), 1 when the spec cannot be rendered.
enum RenderCommand {
    static func run(_ context: CommandContext) async throws -> Int32 {
        let options = try self.options(context.arguments)
        let engine = try Engine.load(projectFile: context.projectFile, events: context.events, render: options)
        let result = try await engine.render(options, parallelism: try context.parallelism())
        if context.json {
            JSONRenderer(console: context.console).render(result.json)
        } else {
            let renderer = HumanRenderer(console: context.console, verbose: context.verbose)
            renderer.summarize(result, command: "render")
            renderer.listRendered(result)
        }
        return result.ok ? 0 : 1
    }

    /// `--target` (required), `--out`, `--kube-version`, `--values`, each checked.
    static func options(_ arguments: ParsedArguments) throws(UsageError) -> RenderOptions {
        let targets = RenderTarget.allCases.map(\.rawValue).joined(separator: ", ")
        guard let text = arguments.value("target") else {
            throw UsageError(message: "render needs --target: one of \(targets)", command: arguments.command)
        }
        guard let target = RenderTarget(rawValue: text) else {
            let closest = Suggestion.closest(to: text, among: RenderTarget.allCases.map(\.rawValue)).map { "; did you mean `\($0)`?" } ?? ""
            throw UsageError(message: "--target takes one of \(targets), got `\(OptionValues.shown(text))`\(closest)",
                             command: arguments.command)
        }
        var options = RenderOptions(target: target, out: arguments.value("out"), valuesFile: arguments.value("values"))
        if let version = arguments.value("kube-version") {
            guard let parsed = KubernetesVersion(parsing: version) else {
                throw UsageError(message: "--kube-version takes a Kubernetes version like 1.30 or v1.20, got `\(OptionValues.shown(version))`",
                                 command: arguments.command)
            }
            options.kubeVersion = parsed
        }
        if options.valuesFile != nil, target != .helm {
            throw UsageError(message: "--values is for --target helm (a values file checked against the chart's schema)",
                             command: arguments.command)
        }
        return options
    }
}
