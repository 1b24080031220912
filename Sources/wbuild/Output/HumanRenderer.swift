import Synchronization
import WBuild

/// Renders events for a person: one status line per node, logs prefixed by node name,
/// failures with their reason. Cached nodes are shown only with `-v`.
final class HumanRenderer: Sendable {
    let console: Console
    let verbose: Bool
    /// The change that started the pass now running, for its closing line
    /// ("web/src/app.js changed → image:web 310 ms, workload:web 490 ms (810 ms)").
    private let pendingChange = Mutex<String?>(nil)
    /// Progress of the nodes now running, newest last: the terminal's updating line shows the
    /// newest; without a terminal `-v` prints a line per node at most every 2 s.
    private let progress = Mutex<[(id: NodeID, text: String, printed: ContinuousClock.Instant?)]>([])

    init(console: Console, verbose: Bool) {
        self.console = console
        self.verbose = verbose
    }

    func render(_ event: BuildEvent) {
        switch event {
        case .nodeStart(let id, _) where id.kind == "source" && !verbose:
            break
        case .nodeDone(let result) where result.id.kind == "source" && result.status != .failed && !verbose:
            break
        case .nodeWaiting(let id, let inputs):
            // Waits for sources and the router are short and said only with -v.
            if verbose || (id.kind != "source" && inputs.contains { $0.kind != "source" && $0.kind != "router" }) {
                console.out("\(console.paint("⋯", .dim)) \(id)  \(console.paint("waiting on \(inputs.map(\.description).joined(separator: ", "))", .dim))")
            }
        case .nodeStart(let id, let reason):
            console.out("\(console.paint("▶", .blue)) \(id)  \(console.paint(reason.description, .dim))")
        case .nodeDone(let result):
            clearProgress(of: result.id)
            renderDone(result)
        case .progress(let id, let report):
            showProgress(of: id, report)
        case .log(let id, let stream, let line):
            let prefix = console.paint(prefix: id.name.padding(toLength: max(id.name.count, 8), withPad: " ", startingAt: 0))
            let text = stream == .stderr ? console.paint(line, .yellow) : line
            console.out("\(prefix) │ \(text)")
        case .change(let paths, _):
            let shown = paths.prefix(3).joined(separator: ", ") + (paths.count > 3 ? " and \(paths.count - 3) more" : "")
            pendingChange.withLock { $0 = shown }
            console.out(console.paint("↻ \(shown) changed", .cyan))
        case .warning(let message):
            console.err("\(console.paint("warning:", .yellow, stderr: true)) \(message)")
        case .passDone(let summary):
            guard let change = pendingChange.withLock({ value -> String? in defer { value = nil }; return value }) else { break }
            console.out(Self.passLine(change: change, summary: summary, console: console))
        case .workloadState(let id, let state, let detail):
            let style: Console.Style = state == "ready" ? .green : (state == "starting" || state == "building" ? .blue : .yellow)
            let name = id.kind == "router" ? "router" : id.name
            console.out("\(console.paint("●", style)) \(name) \(console.paint(state, style))\(detail.isEmpty ? "" : "  \(detail)")")
        case .liveUpdate(let id, let files, let phases):
            let timeline = phases.map { "\($0.0) \($0.1) ms" }.joined(separator: " → ")
            console.out("\(console.paint("⚡", .green)) \(id.name) live update: \(files) file\(files == 1 ? "" : "s")  \(console.paint(timeline, .dim))")
        case .watching(let root):
            console.out("\(console.paint("👀", .cyan)) watching \(root) — Ctrl-C stops")
        case .reloaded(let file):
            console.out("\(console.paint("↻", .cyan)) \(file) changed: graph reloaded")
        case .route(let record):
            // A line per request only with -v: a page load is dozens of them.
            guard verbose else { break }
            let prefix = console.paint(prefix: "router  ")
            let text = record.status >= 500 ? console.paint(record.description, .yellow) : record.description
            console.out("\(prefix) │ \(text)")
        }
    }

    /// The closing line of a pass a change started: ✓ and each node that ran with its own time
    /// (the build and the swap of a rebuild apart), or ✗ (red on a terminal) and what failed, why.
    static func passLine(change: String, summary: PassSummary, console: Console) -> String {
        let ran = summary.results.filter { $0.status == .built && $0.id.kind != "source" }
            .map { "\($0.id) \(Duration.formatted(ms: $0.milliseconds))" }
        let failed = summary.results.filter { $0.status == .failed }
        let time = "(\(Duration.formatted(ms: summary.milliseconds)))"
        guard !failed.isEmpty else {
            let done = ran.isEmpty ? "nothing to rebuild" : ran.joined(separator: ", ")
            return console.paint("✓", .green) + " \(change) changed → \(done) \(time)"
        }
        let failures = failed.map { result in
            "\(result.id) failed: \(result.failure?.message ?? result.reason.description)"
        }
        let blocked = summary.results.filter { $0.status == .blocked }.map(\.id.description)
        var line = "\(change) changed → "
        if !ran.isEmpty { line += ran.joined(separator: ", ") + "; " }
        line += failures.joined(separator: "; ")
        if !blocked.isEmpty { line += "; blocked: \(blocked.joined(separator: ", "))" }
        return console.paint("✗ " + line, .red) + " " + time
    }

    private func showProgress(of id: NodeID, _ report: NodeProgress) {
        let text = "⋯ \(id) \(report.description)"
        let (line, printNow) = progress.withLock { entries -> (String, Bool) in
            let previous = entries.firstIndex { $0.id == id }.map { entries.remove(at: $0) }
            let now = ContinuousClock.now
            let due = previous?.printed.map { now - $0 >= .seconds(2) } ?? true
            entries.append((id, text, due ? now : previous?.printed))
            return (Self.statusText(entries), due)
        }
        if console.stdoutIsTerminal {
            console.status(line)
        } else if verbose && printNow {
            console.out(text)
        }
    }

    private func clearProgress(of id: NodeID) {
        let line = progress.withLock { entries -> String? in
            entries.removeAll { $0.id == id }
            return entries.isEmpty ? nil : Self.statusText(entries)
        }
        console.status(line)
    }

    private static func statusText(_ entries: [(id: NodeID, text: String, printed: ContinuousClock.Instant?)]) -> String {
        guard let newest = entries.last else { return "" }
        return newest.text + (entries.count > 1 ? "  (+\(entries.count - 1) more)" : "")
    }

    private func renderDone(_ result: NodeResult) {
        let id = result.id.description
        switch result.status {
        case .built:
            console.out("\(console.paint("✓", .green)) \(id) \(console.paint("\(Duration.formatted(ms: result.milliseconds))", .dim))\(outputNote(result))")
        case .cached:
            if verbose { console.out("\(console.paint("·", .dim)) \(id) \(console.paint("cached: \(result.reason)", .dim))") }
        case .failed:
            console.out("\(console.paint("✗", .red)) \(id) \(console.paint("failed", .red)): \(result.failure?.description ?? result.reason.description)")
        case .blocked:
            console.out("\(console.paint("⊘", .yellow)) \(id) \(console.paint(result.reason.description, .dim))")
        case .cancelled:
            console.out("\(console.paint("↺", .yellow)) \(id) \(console.paint("cancelled: a newer change made it stale", .dim))")
        }
    }

    private func outputNote(_ result: NodeResult) -> String {
        guard let image = result.output?.fields["ref"] ?? result.output?.fields["image"] else { return "" }
        return "  \(console.paint(image, .dim))"
    }

    /// The closing summary of a pass: counts, then each failure with the tail of its output.
    func summarize(_ result: RunResult, command: String) {
        var counts: [NodeStatus: Int] = [:]
        for node in result.nodes { counts[node.status, default: 0] += 1 }
        let order: [NodeStatus] = [.built, .cached, .failed, .blocked, .cancelled]
        let parts = order.compactMap { status in counts[status].map { "\($0) \(status.rawValue)" } }
        let verdict = result.ok ? console.paint("ok", .green) : console.paint("failed", .red)
        console.out("\(command) \(verdict): \(parts.isEmpty ? "nothing to do" : parts.joined(separator: ", ")) in \(Duration.formatted(ms: result.milliseconds))")
        for node in result.nodes where node.status == .failed {
            console.out("\(console.paint("✗", .red)) \(node.id): \(node.failure?.description ?? "failed")")
            for line in node.failure?.tail ?? [] { console.out("    \(line)") }
        }
    }
}

extension HumanRenderer {
    /// After `publish`: each image's reference with its digest, and whether it went up now.
    func listPublished(_ result: RunResult) {
        let published = result.nodes.filter { $0.id.kind == "publish" && $0.output?.fields["ref"] != nil }
        let width = published.map(\.id.name.count).max() ?? 0
        for node in published {
            guard let reference = node.output?.fields["ref"] else { continue }
            let how = node.status == .built && node.output?.fields["pushed"] == "true" ? "pushed" : "already in the registry"
            let name = node.id.name + String(repeating: " ", count: width - node.id.name.count)
            console.out("  \(name)  \(reference)  \(console.paint(how, .dim))")
        }
    }
}

extension HumanRenderer {
    /// `kubernetes → .wbuild/out/kubernetes: 9 files (2 written)` per rendered target.
    func listRendered(_ result: RunResult) {
        for node in result.nodes where node.id.kind == "manifest" {
            guard let fields = node.output?.fields, let folder = fields["folder"] else { continue }
            let files = (fields["files"] ?? "").split(separator: ",").count
            let written = node.status == .built ? Int(fields["written"] ?? "0") ?? 0 : 0
            let how = written == 0 ? "up to date" : "\(written) written"
            console.out("  \(node.id.name) → \(folder): \(files) file\(files == 1 ? "" : "s") \(console.paint("(\(how))", .dim))")
        }
    }
}

extension Duration {
    /// "840 ms", "2.3 s".
    static func formatted(ms: Int) -> String {
        ms < 1000 ? "\(ms) ms" : "\(Double(ms / 100) / 10) s"
    }
}
