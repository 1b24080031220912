import WBuild

/// The terminal's account of a Kubernetes or Helm deploy and status.
struct KubernetesReport {
    let console: Console

    /// `  create     Deployment shop/api` per object (`unchanged` ones only counted), each
    /// rollout, then the failures and a summary line.
    func deployed(_ result: KubernetesDeployResult) {
        let shownItems = result.items.filter { $0.action != "unchanged" || result.planned || result.items.count == 1 }
        for item in shownItems {
            console.out("  \(pad(item.action, 9)) \(item.name)")
        }
        for rollout in result.rollouts where rollout.failure == nil {
            console.out("  \(console.paint("✓", .green)) Deployment \(rollout.name)  \(rollout.ready)/\(rollout.desired) ready")
        }
        for failure in result.items.compactMap(\.failure) + result.rollouts.compactMap(\.failure) {
            console.err(console.paint("✗ ", .red) + failure)
        }
        let verb = result.planned ? "deploy --plan" : "deploy"
        let status = result.ok ? console.paint("ok", .green) : console.paint("failed", .red)
        let place = "context \(result.context), namespace \(result.namespace)"
        if result.unchanged && result.ok {
            console.out("\(verb) \(status): unchanged (\(result.items.count) \(result.target == .helm ? "release" : "objects") as rendered; nothing applied), \(place) in \(result.milliseconds) ms")
            return
        }
        let counts = Dictionary(grouping: result.items, by: \.action).mapValues(\.count)
        let order = result.target == .helm ? ["install", "upgrade", "unchanged"] : ["create", "update", "prune", "unchanged"]
        let summary = order.compactMap { key in counts[key].map { "\($0) \(key)" } }
        let rolledBack = result.rolledBack ? ", rolled back" : ""
        console.out("\(verb) \(status): \(summary.joined(separator: ", "))\(rolledBack), \(place) in \(result.milliseconds) ms")
    }

    func status(_ status: KubernetesStatus) {
        if let release = status.release { console.out("\(console.paint("●", .green)) release \(status.namespace): \(release)") }
        for deployment in status.deployments {
            let style: Console.Style = deployment.complete ? .green : .yellow
            console.out("\(console.paint("●", style)) \(deployment.name)  \(deployment.ready)/\(deployment.desired) ready, \(deployment.updated)/\(deployment.desired) updated")
        }
        if status.deployments.isEmpty {
            console.out("namespace \(status.namespace) on context \(status.context) runs no Deployment of this project (run `wbuild deploy --target \(status.target.rawValue)`)")
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
