import Foundation
import Synchronization
import WBuildCore
import WBuildRender
import WBuildSystem
import WBuildWorkloads

/// `deploy --target helm`: `helm upgrade --install NAME CHART -n NS --create-namespace -f
/// values.yaml [-f kubernetes.cluster.valuesFile] --wait --atomic --timeout T`, skipped when
/// the release's description carries the fingerprint of this chart and these values. While
/// Helm waits, the Deployments are watched for progress and for why a pod is not ready, since
/// `--atomic` rolls a failed upgrade back (and its pods away) before Helm returns.
struct HelmDeploy {
    let engine: Engine
    let connection: KubernetesConnection
    let options: KubernetesDeployOptions

    func run(_ rendering: Rendering, folder: String) async throws(WBuildError) -> KubernetesDeployResult {
        let spec = engine.project.spec
        let root = engine.project.layout.root
        let namespace = engine.kubernetesNamespace
        let release = spec.name
        let chart = folder + "/" + HelmChartRenderer.chartName(spec)
        let helm = KubectlSession(tool: try ClusterTool.find(.helm, spec: spec, projectRoot: root), context: connection.context.name)
        var valueFiles = ["-f", chart + "/values.yaml"]
        var fingerprint = FingerprintBuilder(kind: "helm-release")
        fingerprint.add("chart", RenderedFolder.hash(of: rendering))
        fingerprint.add("namespace", namespace)
        if let extra = spec.kubernetes?.cluster?.valuesFile {
            let path = extra.hasPrefix("/") ? extra : root + "/" + extra
            guard let bytes = FileManager.default.contents(atPath: path) else {
                throw WBuildError(.usage, "kubernetes.cluster.valuesFile names \(extra), which cannot be read",
                                  hint: "give the path (from the project root) of a YAML values file for the chart")
            }
            fingerprint.add("values", bytes: [UInt8](bytes))
            valueFiles += ["-f", path]
        }
        let hash = fingerprint.finish().short
        let status = try await helm.run(["status", release, "-n", namespace, "-o", "json"])
        let current = status.ok ? HelmRelease.parse(json: status.stdout) : nil
        let action = current == nil ? "install" : (current?.status == "deployed" && current?.fingerprint == hash ? "unchanged" : "upgrade")
        var result = KubernetesDeployResult(target: .helm, context: connection.context.name, namespace: namespace,
                                            items: [.init(name: "release \(namespace)/\(release)", action: action)],
                                            rollouts: [], planned: options.plan, milliseconds: 0)
        if options.plan || action == "unchanged" { return result }

        var arguments = ["upgrade", "--install", release, chart, "-n", namespace, "--create-namespace"] + valueFiles
        arguments += ["--set", "createNamespace=false", "--description", HelmRelease.fingerprintPrefix + hash]
        if options.wait { arguments += ["--wait", "--atomic", "--timeout", "\(max(1, Int(options.timeout.components.seconds)))s"] }
        let done = Atomic<Bool>(false)
        let upgrade = Task { () -> Result<ClusterTool.Output, WBuildError> in
            defer { done.store(true, ordering: .sequentiallyConsistent) }
            do throws(WBuildError) {
                return .success(try await helm.run(arguments))
            } catch {
                return .failure(error)
            }
        }
        let watcher = HelmRolloutWatcher(rollout: KubernetesRollout(kubectl: connection.kubectl, namespace: namespace,
                                                                    project: spec.name, events: engine.events))
        let findings = options.wait ? await watcher.watch(until: { done.load(ordering: .sequentiallyConsistent) }) : []
        let output = try await upgrade.value.get()
        if output.ok {
            if options.wait {
                let states = await watcher.rollout.deployments()
                result.rollouts = states.map { .init(name: $0.name, ready: $0.ready, desired: $0.desired) }
            }
            return result
        }
        result.rolledBack = output.stderr.contains("rolled back") || output.stderr.contains("has been uninstalled")
        var failure = "helm upgrade --install \(release) failed:\n  \(output.reason(lines: 8))"
        if result.rolledBack {
            failure += "\n  Helm rolled the release back (--atomic)" + (action == "upgrade" ? "; the previous revision serves" : "")
        }
        if !findings.isEmpty { failure += "\n" + findings.joined(separator: "\n") }
        result.items[0].failure = failure
        return result
    }
}

/// Watches the Deployments while Helm upgrades: progress as it changes, and for every one that
/// is not ready, the latest reason with its container's last log lines (fetched again only
/// when the reason changes).
struct HelmRolloutWatcher {
    let rollout: KubernetesRollout

    func watch(until finished: @Sendable () -> Bool) async -> [String] {
        var shown: [String: String] = [:]
        var latest: [String: (finding: PodDiagnosis.Finding, text: String)] = [:]
        var first = true
        while !finished() {
            let states = await rollout.deployments()
            let pending = states.filter { !$0.isComplete }
            // What already ran before Helm changed anything is not progress.
            if first { for state in states where state.isComplete { shown[state.name] = state.progress } }
            first = false
            for state in states where shown[state.name] != state.progress {
                shown[state.name] = state.progress
                rollout.events.emit(.workloadState(NodeID(kind: "deploy", name: "deployment/\(state.name)"),
                                                   state: state.isComplete ? "available" : "rolling out", detail: state.progress))
            }
            if !pending.isEmpty, let json = await rollout.pods() {
                for state in pending {
                    guard let finding = PodDiagnosis(podsJSON: json.pods, eventsJSON: json.events, selector: state.selector).findings.first,
                          finding.reason != "NotReady" || latest[state.name] == nil else { continue }
                    if latest[state.name]?.finding != finding {
                        latest[state.name] = (finding, await rollout.describe(state, finding, headline: "did not become ready"))
                    }
                }
            }
            // A pod that only had not passed its probe yet is no reason once the Deployment is
            // available; a real one stays, since --atomic makes the Deployment available again
            // (rolled back) before Helm returns.
            for state in states where state.isComplete && latest[state.name]?.finding.reason == "NotReady" { latest[state.name] = nil }
            for _ in 0..<10 where !finished() { try? await Task.sleep(for: .milliseconds(100)) }
        }
        return latest.keys.sorted().compactMap { latest[$0]?.text }
    }
}
