import Synchronization
import WBuildCore

/// Waits for Deployments to roll out: polls them (`kubectl get deployments -l … -o json`)
/// every half second, reports each one's progress as it changes (`1/2 updated, 0/2 ready`),
/// and for any that is not done says why from its pods (`PodDiagnosis`), with the failing
/// container's last log lines. A pod that cannot recover (its image cannot be pulled, it
/// crash-loops) fails its Deployment at once; anything else fails at the timeout.
struct KubernetesRollout {
    /// How one Deployment ended.
    struct Outcome: Sendable, Equatable {
        var name: String
        var ready: Int
        var desired: Int
        var failure: String?
    }

    let kubectl: KubectlSession
    let namespace: String
    let project: String
    let events: EventSink
    /// How many log lines a failure shows.
    var logLines = 10

    /// Waits for `names` (all when nil), at most `timeout` or until `stop` says so; every
    /// Deployment not done by then is a failure with its reason.
    func wait(for names: Set<String>?, timeout: Duration, stop: (@Sendable () -> Bool)? = nil) async -> [Outcome] {
        let deadline = ContinuousClock.now + timeout
        var shown: [String: String] = [:]
        var finished: [String: Outcome] = [:]
        var lastStates: [DeploymentState] = []
        while true {
            let states = await deployments().filter { names?.contains($0.name) ?? true }
            if !states.isEmpty { lastStates = states }
            for state in lastStates where finished[state.name] == nil {
                let line = state.progress
                if shown[state.name] != line {
                    shown[state.name] = line
                    events.emit(.workloadState(NodeID(kind: "deploy", name: "deployment/\(state.name)"),
                                               state: state.isComplete ? "available" : "rolling out", detail: line))
                }
                if state.isComplete {
                    finished[state.name] = Outcome(name: state.name, ready: state.ready, desired: state.desired)
                } else if let stalled = state.stalled {
                    finished[state.name] = Outcome(name: state.name, ready: state.ready, desired: state.desired,
                                                   failure: await explain(state, stalled))
                }
            }
            let pending = lastStates.filter { finished[$0.name] == nil }
            // Applied but not listed yet: waited for like the others, a failure at the end.
            let unseen = (names ?? []).subtracting(lastStates.map(\.name))
            if pending.isEmpty, unseen.isEmpty, !lastStates.isEmpty || names?.isEmpty == true { break }
            let expired = ContinuousClock.now >= deadline || stop?() == true
            let diagnosis = pending.isEmpty ? nil : await pods()
            for state in pending {
                let findings = diagnosis.map { PodDiagnosis(podsJSON: $0.pods, eventsJSON: $0.events, selector: state.selector).findings } ?? []
                if let fatal = findings.first(where: \.fatal) {
                    finished[state.name] = Outcome(name: state.name, ready: state.ready, desired: state.desired,
                                                   failure: await describe(state, fatal, headline: "cannot become ready"))
                } else if expired {
                    let headline = stop?() == true ? "did not become ready" : "did not become ready within \(timeout)"
                    let failure = if let first = findings.first { await describe(state, first, headline: headline) }
                                  else { "Deployment \(state.name) \(headline) (\(state.progress))" }
                    finished[state.name] = Outcome(name: state.name, ready: state.ready, desired: state.desired, failure: failure)
                }
            }
            if expired { break }
            if unseen.isEmpty, !lastStates.isEmpty, lastStates.allSatisfy({ finished[$0.name] != nil }) { break }
            try? await Task.sleep(for: .milliseconds(500))
        }
        var outcomes = lastStates.compactMap { finished[$0.name] }
        for missing in (names ?? []).subtracting(lastStates.map(\.name)).sorted() {
            outcomes.append(Outcome(name: missing, ready: 0, desired: 0,
                                    failure: "Deployment \(missing) was applied but not found in namespace \(namespace) within \(timeout)"))
        }
        return outcomes.sorted { $0.name < $1.name }
    }

    /// The project's Deployments in the namespace; empty when kubectl fails (the next poll retries).
    func deployments() async -> [DeploymentState] {
        guard let output = try? await kubectl.run(["get", "deployments.apps", "-n", namespace, "-l", "dev.wbuild.project=\(project)", "-o", "json"]),
              output.ok else { return [] }
        return DeploymentState.parse(json: output.stdout) ?? []
    }

    /// The project's pods and the namespace's events, as JSON.
    func pods() async -> (pods: String, events: String?)? {
        guard let pods = try? await kubectl.run(["get", "pods", "-n", namespace, "-l", "dev.wbuild.project=\(project)", "-o", "json"]),
              pods.ok else { return nil }
        let events = try? await kubectl.run(["get", "events", "-n", namespace, "-o", "json"])
        return (pods.stdout, events?.ok == true ? events?.stdout : nil)
    }

    /// A stalled rollout's reason, with its first failing pod's.
    private func explain(_ state: DeploymentState, _ stalled: String) async -> String {
        let findings = await pods().map { PodDiagnosis(podsJSON: $0.pods, eventsJSON: $0.events, selector: state.selector).findings } ?? []
        guard let first = findings.first else { return "Deployment \(state.name) stopped progressing: \(stalled)" }
        return await describe(state, first, headline: "stopped progressing (\(stalled))")
    }

    /// `Deployment api did not become ready within 20 s: pod api-…: container api: Readiness
    /// probe failed: …`, then the container's last log lines.
    func describe(_ state: DeploymentState, _ finding: PodDiagnosis.Finding, headline: String) async -> String {
        var text = "Deployment \(state.name) \(headline) (\(state.progress)): \(finding.description)"
        if let container = finding.container,
           let logs = try? await kubectl.run(["logs", finding.pod, "-n", namespace, "-c", container, "--tail", String(logLines)]),
           logs.ok {
            let lines = logs.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
            text += lines.isEmpty ? "\n  (container \(container) of \(finding.pod) wrote no log lines)"
                : "\n  last log lines of \(finding.pod) (\(container)):\n" + lines.map { "    │ \($0)" }.joined(separator: "\n")
        }
        return text
    }
}
