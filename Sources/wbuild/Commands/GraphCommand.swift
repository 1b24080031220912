import WBuild

/// `wbuild graph`: every node (sources, tasks, serve tasks, images, workloads), its edges and
/// last state, as text, Graphviz dot or JSON.
enum GraphCommand {
    static let formats = ["text", "dot", "json"]

    static func run(_ context: CommandContext) throws -> Int32 {
        let format = context.arguments.value("format") ?? (context.json ? "json" : "text")
        guard formats.contains(format) else {
            throw UsageError(message: "--format takes text, dot or json, got `\(OptionValues.shown(format))`", command: "graph")
        }
        let report = try Engine.graph(projectFile: context.projectFile)
        switch format {
        case "dot": context.console.out(report.dot)
        case "json": context.console.out(report.json.rendered)
        default: context.console.out(report.text)
        }
        return 0
    }
}
