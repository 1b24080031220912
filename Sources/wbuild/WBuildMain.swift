import Foundation
import WBuild

/// Entry point: parse the command line, run the command, map errors to messages and exit codes
/// in one place (DESIGN.md: 0 ok, 1 a node failed, 2 usage or project file, 3 engine unavailable).
@main
enum WBuildMain {
    static func main() async {
        let console = Console()
        let code = await run(Array(CommandLine.arguments.dropFirst()), console: console)
        exit(code)
    }

    static func run(_ arguments: [String], console: Console) async -> Int32 {
        guard let first = arguments.first, first != "-h", first != "--help" else {
            console.out(CommandCatalog.overview)
            return arguments.isEmpty ? 2 : 0
        }
        if first == "--version" {
            console.out("wbuild \(BuildInfo.version) (commit \(BuildInfo.commit))")
            return 0
        }
        guard let command = CommandCatalog.command(first) else {
            let names = CommandCatalog.commands.map(\.name)
            let suggestion = Suggestion.closest(to: first, among: names).map { "; did you mean `\($0)`?" } ?? ""
            console.err("wbuild: unknown command `\(first)`\(suggestion)\nRun `wbuild --help` for the list of commands.")
            return 2
        }
        do {
            let parsed = try ArgumentParser.parse(Array(arguments.dropFirst()), command: command.name, accepting: command.flags)
            if parsed.has("help") {
                console.out(CommandCatalog.usage(of: command))
                return 0
            }
            let context = CommandContext(arguments: parsed, console: console)
            try context.validateOptionValues()
            switch command.name {
            case "once": return try await OnceCommand.run(context)
            case "publish": return try await PublishCommand.run(context)
            case "render": return try await RenderCommand.run(context)
            case "deploy": return try await DeployCommand.run(context)
            case "graph": return try GraphCommand.run(context)
            case "routes": return try await RoutesCommand.run(context)
            case "watch": return try await WatchCommand.run(context)
            case "doctor": return try await DoctorCommand.run(context)
            case "up": return try await UpCommand.run(context)
            case "restart": return try await RestartCommand.run(context)
            case "exec": return try await ExecCommand.run(context)
            case "down": return try await DownCommand.run(context)
            case "status": return try await StatusCommand.run(context)
            case "logs": return try await LogsCommand.run(context)
            case "help":
                guard let topic = parsed.positionals.first else {
                    console.out(CommandCatalog.overview)
                    return 0
                }
                guard let info = CommandCatalog.command(topic) else {
                    throw UsageError(message: "no command named `\(topic)`", command: "help")
                }
                console.out(CommandCatalog.usage(of: info))
                return 0
            default:
                throw UsageError(message: "`wbuild \(command.name)` is not implemented", command: command.name)
            }
        } catch let error as UsageError {
            console.err("wbuild \(error.command ?? first): \(error.message)")
            if let name = error.command, let info = CommandCatalog.command(name) { console.err("usage: \(info.usage)") }
            return 2
        } catch let error as WBuildError {
            console.err("wbuild \(first): \(error.message)")
            if let hint = error.hint { console.err("hint: \(hint)") }
            return error.exitCode
        } catch {
            console.err("wbuild \(first): \(error)")
            return 1
        }
    }
}
