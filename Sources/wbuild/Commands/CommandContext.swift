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
        guard let jobs = Int(text), jobs >= 1 else {
            throw UsageError(message: "--jobs takes a whole number of at least 1, got `\(text)`", command: arguments.command)
        }
        return jobs
    }
}
