import Foundation
import WBuildSystem

/// Issue 13: pushing the shop's three images (built beforehand, untimed) to a real registry
/// (`LocalRegistry`), wbuild beside the Docker CLI and Docker Compose v2 in the same run.
///
/// - first publish: `wbuild publish --registry 127.0.0.1:P1/shop` into an empty registry vs
///   `docker compose push` of the same three images (tagged `127.0.0.1:P2/shop/NAME:TAG`) into
///   another empty one; new registries for every sample, the order alternating. Goal ≤ 1.0×.
/// - no-op: `wbuild publish` again vs `docker push` of the three refs it pushed, one after the
///   other, and vs `docker compose push` again. Goal ≤ 0.1× `docker push`.
struct PublishSuite {
    var options: BenchOptions
    var workspace: BenchDirectory

    let label = "publish shop"
    /// The repository path under every registry (`127.0.0.1:PORT/shop/web`).
    static let path = "shop"
    static let workloads = ["api", "kv", "web"]

    func run(into report: inout Report) async {
        await ContainerSuiteRun(options: options, workspace: workspace)
            .run(label: label, project: "publish", directory: "publish", into: &report) { name, root, report throws(BenchError) in
                var registries = PublishRegistries(root: root)
                do throws(BenchError) {
                    try await measure(name: name, root: root, registries: &registries, into: &report)
                } catch {
                    Progress.say("\(label): stopping the registries, removing their tags")
                    await registries.close()
                    throw error
                }
                Progress.say("\(label): stopping the registries, removing their tags")
                await registries.close()
            }
    }

    var measureWbuild: Bool { options.wbuildMissing == nil }

    private func measure(name: String, root: String, registries: inout PublishRegistries,
                         into report: inout Report) async throws(BenchError) {
        try ContainerProjectFiles.writeShop(at: root, name: name, composeWebPort: try HTTPProbe.freePort())
        try await DockerPeer.checkCompose(in: root)
        Progress.say("\(label): building the three images (untimed)")
        let (local, withWbuild) = try await buildImages(name: name, root: root, report: &report)

        // First publish: fresh registries per sample; sample 0 is a warm-up on both sides.
        let runs = options.publishRuns
        var firstWbuild = Samples(), firstCompose = Samples(), firstPass = Samples()
        var lastWbuildRegistry: LocalRegistry?, lastComposeRegistry: LocalRegistry?
        for sample in 0...runs {
            await registries.stopAll()
            let composeRegistry = try await registries.start()
            let wbuildRegistry = withWbuild ? try await registries.start() : nil
            try await tagForCompose(local, registry: composeRegistry, name: name, root: root)
            let wbuildFirst = sample % 2 == 0
            Progress.say("\(label): first publish, " + (sample == 0 ? "warm-up" : "sample \(sample)/\(runs)")
                         + (wbuildFirst ? " (wbuild first)" : " (compose first)"))
            for side in wbuildFirst ? [true, false] : [false, true] {
                if side, let wbuildRegistry {
                    let figure = try await wbuildPublish(into: wbuildRegistry, root: root, firstPublish: true,
                                                         what: "first publish, sample \(sample)", report: &report)
                    if sample > 0, let figure {
                        firstWbuild.append(figure.wall)
                        if let pass = figure.pass { firstPass.append(pass) }
                    }
                } else if !side {
                    let run = try await ProcessTimer.runChecked(DockerPeer.compose(name, ["push"]), in: root)
                    try await checkComposePushed(local, registry: composeRegistry, root: root)
                    if sample > 0 { firstCompose.append(run.milliseconds) }
                }
            }
            lastWbuildRegistry = wbuildRegistry
            lastComposeRegistry = composeRegistry
        }
        report.add(ReportRow(suite: label, measure: "first publish, 3 images into an empty registry (median of \(runs))",
                             unit: .milliseconds, wbuild: firstWbuild.median, peerName: "docker compose push",
                             peer: firstCompose.median, goal: .ratioAtMost(1.0)))

        // No-op: the last sample's registries already hold everything.
        guard let composeRegistry = lastComposeRegistry else { return }
        let pushRefs = try await dockerPushReferences(local, wbuildRegistry: lastWbuildRegistry,
                                                      composeRegistry: composeRegistry, name: name, root: root)
        var noopWbuild = Samples(), noopPush = Samples(), noopCompose = Samples(), noopPass = Samples()
        var perImage: [String: Samples] = [:]
        for sample in 0...options.runs {
            Progress.say("\(label): no-op, " + (sample == 0 ? "warm-up" : "sample \(sample)/\(options.runs)"))
            if let wbuildRegistry = lastWbuildRegistry {
                let figure = try await wbuildPublish(into: wbuildRegistry, root: root, firstPublish: false,
                                                     what: "no-op, sample \(sample)", report: &report)
                if sample > 0, let figure {
                    noopWbuild.append(figure.wall)
                    if let pass = figure.pass { noopPass.append(pass) }
                }
            }
            var total = 0.0
            for (workload, reference) in pushRefs {
                let run = try await ProcessTimer.runChecked(DockerPeer.docker(["push", reference]), in: root)
                total += run.milliseconds
                if sample > 0 { perImage[workload, default: Samples()].append(run.milliseconds) }
            }
            let compose = try await ProcessTimer.runChecked(DockerPeer.compose(name, ["push"]), in: root)
            if sample > 0 {
                noopPush.append(total)
                noopCompose.append(compose.milliseconds)
            }
        }
        let noop = "no-op publish, 3 images already pushed (median of \(options.runs))"
        report.add(ReportRow(suite: label, measure: noop, unit: .milliseconds, wbuild: noopWbuild.median,
                             peerName: "docker push ×3, one after the other", peer: noopPush.median, goal: .ratioAtMost(0.1)))
        report.add(ReportRow(suite: label, measure: noop, unit: .milliseconds, wbuild: noopWbuild.median,
                             peerName: "docker compose push", peer: noopCompose.median))
        func values(_ samples: Samples) -> String {
            samples.isEmpty ? "–" : samples.values.map { Report.format($0) }.joined(separator: ", ")
        }
        func median(_ samples: Samples) -> String { samples.median.map(Report.format) ?? "–" }
        report.notes.append("\(label): first publish samples (ms): wbuild \(values(firstWbuild)); docker compose push"
                            + " \(values(firstCompose)); wbuild's own pass (`ms` of its result, medians): first publish"
                            + " \(median(firstPass)) ms, no-op \(median(noopPass)) ms; no-op `docker push` medians per image: "
                            + perImage.sorted { $0.key < $1.key }.map { "\($0.key) \(median($0.value)) ms" }
                                .joined(separator: ", ")
                            + "; registry: \(LocalRegistry.binary) on 127.0.0.1, a new one (new port, empty storage) per first-publish sample")
    }
}
