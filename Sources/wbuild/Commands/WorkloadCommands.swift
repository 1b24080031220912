import Glibc
import WBuild
import WBuildSystem

/// `wbuild up`: once + containers, exit 0 when every workload is ready.
enum UpCommand {
    static func run(_ context: CommandContext) async throws -> Int32 {
        let timeout = try context.readyTimeout()
        let engine = try Engine.load(projectFile: context.projectFile, events: context.events,
                                     workloads: .run(readyTimeout: timeout))
        defer { engine.runtime?.shutdown() }
        let result = try await engine.up(OnceOptions(targets: context.arguments.positionals,
                                                     force: context.arguments.has("force"),
                                                     parallelism: try context.parallelism()))
        if context.json {
            JSONRenderer(console: context.console).render(result.json)
        } else {
            let renderer = HumanRenderer(console: context.console, verbose: context.verbose)
            renderer.summarize(result, command: "up")
            for node in result.nodes where node.id.kind == "workload" {
                if let urls = node.output?.fields["urls"] { context.console.out("  \(node.id.name): \(urls)") }
            }
        }
        return result.ok ? 0 : 1
    }
}

/// `wbuild down`.
enum DownCommand {
    static func run(_ context: CommandContext) async throws -> Int32 {
        try await Engine.down(projectFile: context.projectFile, volumes: context.arguments.has("volumes"), events: context.events)
        if !context.json { context.console.out("down: nothing of this project is left in the engine") }
        return 0
    }
}

/// `wbuild status`.
enum StatusCommand {
    static func run(_ context: CommandContext) async throws -> Int32 {
        let statuses = try await Engine.status(projectFile: context.projectFile)
        let console = context.console
        if context.json {
            for status in statuses { console.out(status.json.rendered) }
            return 0
        }
        if statuses.isEmpty { console.out("this project has no workloads") }
        for status in statuses {
            let style: Console.Style = status.state == "ready" ? .green : (status.state == "starting" ? .blue : .yellow)
            console.out("\(console.paint("●", style)) \(status.workload)  \(console.paint(status.state, style))  \(status.urls.joined(separator: " "))")
            for replica in status.replicas {
                var line = "    [\(replica.replica)] \(replica.containerName) \(replica.engineState)"
                if let health = replica.health { line += ", probe \(health)" }
                if replica.restarts > 0 { line += ", \(replica.restarts) restarts" }
                if let code = replica.lastExitCode, replica.engineState != "running" { line += ", last exit \(code)" }
                if replica.oomKilled { line += ", OOM killed" }
                if let debugger = replica.debugger { line += ", debugger on \(debugger)" }
                console.out(line)
            }
            if let image = status.image { console.out("    image \(image)" + (status.lastBuild.map { " — \($0)" } ?? "")) }
        }
        return 0
    }
}

/// `wbuild logs`.
enum LogsCommand {
    static func run(_ context: CommandContext) async throws -> Int32 {
        let workload = context.arguments.positionals.first
        let stream = try await Engine.logs(projectFile: context.projectFile, workload: workload, follow: context.arguments.has("follow"))
        let console = context.console
        let signals = SignalStream.make([SIGINT, SIGTERM])
        let reader = Task {
            for try await line in stream {
                if context.json {
                    console.out(JSONText.object([("type", .string("log")), ("workload", .string(line.workload)),
                                                 ("replica", .int(line.replica)), ("stream", .string(line.stream.rawValue)),
                                                 ("line", .string(line.text))]).rendered)
                } else if line.stream == .stderr {
                    console.err("\(console.paint(prefix: line.prefix)) │ \(line.text)")
                } else {
                    console.out("\(console.paint(prefix: line.prefix)) │ \(line.text)")
                }
            }
        }
        let stopper = Task {
            for await _ in signals { reader.cancel(); break }
        }
        defer { stopper.cancel() }
        do {
            try await reader.value
        } catch is CancellationError {
            return 0
        } catch {
            throw WBuildError(.failed, "reading the logs stopped: \(error)",
                              hint: "check the engine with `wbuild doctor`, then run `wbuild logs` again")
        }
        return 0
    }
}
