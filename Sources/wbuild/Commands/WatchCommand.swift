import Glibc
import WBuild
import WBuildSystem

/// `wbuild watch`: up to date now, then on every change, until Ctrl-C or SIGTERM; then
/// stops everything it started and exits 0.
enum WatchCommand {
    static func run(_ context: CommandContext) async throws -> Int32 {
        let signals = SignalStream.make([SIGINT, SIGTERM])
        let (stop, trigger) = AsyncStream<Void>.makeStream()
        let relay = Task {
            for await _ in signals {
                trigger.yield()
                break
            }
        }
        defer { relay.cancel() }
        let summary = try await Engine.watch(projectFile: context.projectFile,
                                             options: WatchLoopOptions(targets: context.arguments.positionals,
                                                                       parallelism: try context.parallelism()),
                                             events: context.events, stop: stop)
        if context.json {
            JSONRenderer(console: context.console).render(.object([
                ("type", .string("stopped")), ("passes", .int(summary.passes)), ("nodesRun", .int(summary.nodesRun)),
                ("stillFailing", .array(summary.stillFailing.map { .string($0.description) })),
            ]))
        } else {
            let failing = summary.stillFailing.isEmpty ? "" : "; still failing: \(summary.stillFailing.map(\.description).joined(separator: ", "))"
            context.console.out("stopped after \(summary.passes) passes, \(summary.nodesRun) nodes run\(failing)")
        }
        return 0
    }
}
