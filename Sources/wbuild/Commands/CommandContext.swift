import Foundation
import WBuild

/// What every command gets: its parsed arguments, the console, and the renderer chosen by `--json`.
struct CommandContext: Sendable {
    let arguments: ParsedArguments
    let console: Console
    var json: Bool { arguments.has("json") }
    var verbose: Bool { arguments.has("verbose") }
    /// `-f PATH`, else the nearest `wbuild.json` at or above the current directory.
    var projectFile: String { arguments.value("file") ?? ProjectFileLocator.locate() }

    /// Routes engine events to the terminal or to JSON lines.
    var events: EventSink {
        if json {
            let renderer = JSONRenderer(console: console)
            return EventSink { renderer.render($0) }
        }
        let renderer = HumanRenderer(console: console, verbose: verbose)
        return EventSink { renderer.render($0) }
    }

    func parallelism() throws(UsageError) -> Int {
        guard let text = arguments.value("jobs") else { return ProcessInfo.processInfo.activeProcessorCount }
        return try OptionValues.jobs(text, command: arguments.command)
    }

    /// `--timeout`: how long `up` waits for each workload to be ready (default 120 s).
    func readyTimeout() throws(UsageError) -> Duration {
        guard let text = arguments.value("timeout") else { return .seconds(120) }
        return try OptionValues.timeout(text, command: arguments.command)
    }

    /// `--replica N` of `exec` (default 0).
    func replica() throws(UsageError) -> Int {
        guard let text = arguments.value("replica") else { return 0 }
        guard let replica = OptionValues.wholeNumber(text), replica < 100_000 else {
            throw UsageError(message: "--replica takes a replica number (0, 1, …), got `\(OptionValues.shown(text))`",
                             command: arguments.command)
        }
        return replica
    }

    /// `--tail N|all` of `logs`: nil for every line.
    func tailLines() throws(UsageError) -> Int? {
        guard let text = arguments.value("tail"), text != "all" else { return nil }
        guard let lines = OptionValues.wholeNumber(text) else {
            throw UsageError(message: "--tail takes a number of lines (or `all`), got `\(OptionValues.shown(text))`",
                             command: arguments.command)
        }
        return lines
    }

    /// `--since DURATION` of `logs`, in milliseconds before now.
    func since() throws(UsageError) -> Int? {
        guard let text = arguments.value("since") else { return nil }
        guard let milliseconds = DurationArgument.milliseconds(text) else {
            throw UsageError(message: "--since takes a duration like 30s, 5m, 2h or 1h30m, got `\(OptionValues.shown(text))`",
                             command: arguments.command)
        }
        return milliseconds
    }

    /// Converts every option value this command was given, so a bad one is a usage error
    /// before anything runs.
    func validateOptionValues() throws(UsageError) {
        _ = try parallelism()
        _ = try readyTimeout()
        _ = try replica()
        _ = try tailLines()
        _ = try since()
        if let format = arguments.value("format"), !GraphCommand.formats.contains(format) {
            throw UsageError(message: "--format takes text, dot or json, got `\(OptionValues.shown(format))`",
                             command: arguments.command)
        }
        if arguments.command == "routes" { _ = try RoutesCommand.query(arguments) }
        if arguments.command == "render" { _ = try RenderCommand.options(arguments) }
    }
}
