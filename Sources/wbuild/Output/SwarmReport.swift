import WBuild

/// The terminal's account of a swarm deploy, status and down.
struct SwarmReport {
    let console: Console

    /// `create  shop_api  3/3 running (n1: 1, n2: 1, n3: 1)` per service, then the failures.
    func deployed(_ result: SwarmDeployResult) {
        let width = result.services.map(\.name.count).max() ?? 0
        for service in result.services {
            var line = "  \(pad(service.action, 9)) \(pad(service.name, width))"
            if !service.changed.isEmpty { line += "  " + console.paint("(" + service.changed.joined(separator: ", ") + ")", .dim) }
            if let running = service.running, let desired = service.desired {
                line += "  \(running)/\(desired) running" + placement(service.nodes)
            }
            console.out(line)
        }
        for failure in result.services.compactMap(\.failure) {
            console.err(console.paint("✗ ", .red) + failure)
        }
        let verb = result.planned ? "deploy --plan" : "deploy"
        let counts = Dictionary(grouping: result.services, by: \.action).mapValues(\.count)
        let summary = ["create", "update", "remove", "unchanged"].compactMap { key in counts[key].map { "\($0) \(key == "unchanged" ? "unchanged" : key + (result.planned ? "" : "d"))" } }
        let status = result.ok ? console.paint("ok", .green) : console.paint("failed", .red)
        console.out("\(verb) \(status): stack \(result.stack), \(summary.joined(separator: ", ")) in \(result.milliseconds) ms")
    }

    func status(_ status: SwarmStatus) {
        for node in status.nodes {
            let style: Console.Style = node.state == "ready" ? .green : .red
            var line = "\(console.paint("●", style)) node \(node.name)  \(console.paint(node.state, style))"
            if let address = node.address { line += "  \(address)" }
            if node.state != "ready" { line += "  — its tasks are rescheduled onto the ready nodes" }
            console.out(line)
        }
        for service in status.services {
            let style: Console.Style = service.running == service.desired ? .green : .yellow
            var line = "\(console.paint("●", style)) \(service.name)  \(service.running)/\(service.desired) running" + placement(service.nodes)
            if let state = service.updateState, state != "completed" { line += "  update \(state)" }
            if !service.rescheduledFrom.isEmpty { line += "  (moved off \(service.rescheduledFrom.joined(separator: ", ")))" }
            console.out(line)
        }
        if status.services.isEmpty { console.out("stack \(status.stack) runs no services (run `wbuild deploy --target swarm`)") }
    }

    private func placement(_ nodes: [String: Int]) -> String {
        nodes.isEmpty ? "" : " (" + nodes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
