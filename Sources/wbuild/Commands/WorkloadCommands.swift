import Foundation
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
            for node in result.nodes where node.id.kind == "router" {
                if let url = node.output?.fields["urls"] { context.console.out("  app (router): \(url)") }
            }
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
        if context.arguments.value("target") != nil {
            let target = try DeployCommand.target(context.arguments)
            if let kubernetes = KubernetesCommands.target(target) { return try await KubernetesCommands.down(context, target: kubernetes) }
            let removed = try await Engine.load(projectFile: context.projectFile, events: context.events).swarmDown()
            if context.json {
                context.console.out(JSONText.object([("type", .string("down")), ("target", .string("swarm")),
                                                     ("removed", .array(removed.map(JSONText.string)))]).rendered)
            } else {
                context.console.out("down: removed \(removed.isEmpty ? "nothing (the stack was not deployed)" : removed.joined(separator: ", "))")
            }
            return 0
        }
        try await Engine.down(projectFile: context.projectFile, volumes: context.arguments.has("volumes"), events: context.events)
        if !context.json { context.console.out("down: nothing of this project is left in the engine") }
        return 0
    }
}

/// `wbuild status`.
enum StatusCommand {
    static func run(_ context: CommandContext) async throws -> Int32 {
        if context.arguments.value("target") != nil {
            let target = try DeployCommand.target(context.arguments)
            if let kubernetes = KubernetesCommands.target(target) { return try await KubernetesCommands.status(context, target: kubernetes) }
            let status = try await Engine.load(projectFile: context.projectFile, events: context.events).swarmStatus()
            if context.json { context.console.out(status.json.rendered) } else { SwarmReport(console: context.console).status(status) }
            return 0
        }
        let statuses = try await Engine.status(projectFile: context.projectFile, targets: context.arguments.positionals)
        let router = context.arguments.positionals.isEmpty ? try await Engine.routerStatus(projectFile: context.projectFile) : nil
        let console = context.console
        if context.json {
            if let router { console.out(router.json.rendered) }
            for status in statuses { console.out(status.json.rendered) }
            return 0
        }
        if statuses.isEmpty { console.out("this project has no workloads") }
        if let router {
            let state = router.url == nil ? console.paint("not running", .yellow) : console.paint("ready", .green)
            console.out("\(console.paint("●", router.url == nil ? .yellow : .green)) router  \(state)  \(router.url ?? "(run `wbuild up`)")")
            for route in router.routes { console.out("    \(route)") }
        }
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
            if status.image != nil || status.buildState != nil { console.out(BuildStateText.imageLine(status, console: console)) }
        }
        return 0
    }
}

/// `wbuild logs`.
enum LogsCommand {
    /// `--tail N|all`, `--since DURATION`, `--timestamps`; following starts from the last 10
    /// lines unless told otherwise, instead of replaying the whole history.
    static func selection(_ context: CommandContext, follow: Bool) throws(UsageError) -> LogSelection {
        var selection = LogSelection(tail: try context.tailLines(), timestamps: context.arguments.has("timestamps"))
        if follow && !context.arguments.has("tail") && !context.arguments.has("since") { selection.tail = 10 }
        if let milliseconds = try context.since() {
            selection.since = Int64(Date().timeIntervalSince1970) - Int64(milliseconds / 1000)
        }
        return selection
    }

    static func run(_ context: CommandContext) async throws -> Int32 {
        guard context.arguments.positionals.count <= 1 else {
            throw UsageError(message: "logs takes one workload (or none for all), got \(context.arguments.positionals.joined(separator: " "))",
                             command: "logs")
        }
        let workload = context.arguments.positionals.first
        let follow = context.arguments.has("follow")
        let stream = try await Engine.logs(projectFile: context.projectFile, workload: workload, follow: follow,
                                           selection: try selection(context, follow: follow))
        let console = context.console
        let signals = SignalStream.make([SIGINT, SIGTERM])
        let reader = Task {
            for try await line in stream {
                if context.json {
                    var fields: [(String, JSONText)] = [("type", .string("log")), ("workload", .string(line.workload)),
                                                        ("replica", .int(line.replica)), ("stream", .string(line.stream.rawValue)),
                                                        ("line", .string(line.text))]
                    if let time = line.timestamp { fields.append(("time", .string(time))) }
                    console.out(JSONText.object(fields).rendered)
                    continue
                }
                let time = line.timestamp.map { console.paint($0, .dim) + " " } ?? ""
                let text = "\(time)\(console.paint(prefix: line.prefix)) │ \(line.text)"
                if line.stream == .stderr { console.err(text) } else { console.out(text) }
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
