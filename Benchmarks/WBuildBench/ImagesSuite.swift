import Foundation
import WBuildSystem

/// Issue 4: image builds on contexts of small files, wbuild beside the Docker CLI's classic
/// builder and `docker compose build`, on the same context in the same run.
///
/// - no-op: `wbuild once` after a first build (nothing changed: the image check alone)
///   vs a fully cached `DOCKER_BUILDKIT=0 docker build` and a cached `docker compose build`
///   of the same context. Goals at 10k files: ≥ 50× faster than the classic build, ≥ 10×
///   faster than Compose.
/// - send: a first build of a new context (a changed `nonce.txt` makes the one `COPY . /ctx`
///   layer new; the base is cached), so the figure is sending the context and copying it.
struct ImagesSuite {
    var options: BenchOptions
    var workspace: BenchDirectory

    func run(into report: inout Report) async {
        let suiteRun = ContainerSuiteRun(options: options, workspace: workspace)
        for files in options.imageSizes {
            await suiteRun.run(label: "images \(TreeSuite.label(files))", project: "i\(TreeSuite.label(files))",
                               directory: "images-\(files)", into: &report) { name, root, report throws(BenchError) in
                try await measure(files: files, name: name, root: root, into: &report)
            }
        }
    }

    private func measure(files: Int, name: String, root: String, into report: inout Report) async throws(BenchError) {
        let label = "images \(TreeSuite.label(files))"
        Progress.say("\(label): generating a context of \(files) files")
        _ = try TreeGenerator.generate(TreeShape(files: files), at: root)
        try ContainerProjectFiles.writeImageContext(at: root, name: name)
        try await DockerPeer.checkCompose(in: root)
        let runs = options.runs
        let wbuildOnce = ProcessCommand.argv([options.wbuild, "once", "--json", "-f", "wbuild.json"])
        let classic = DockerPeer.docker(["build", "-q", "-t", "\(name)-classic:bench", "."])
        let compose = DockerPeer.compose(name, ["build", "-q"])
        let measureWbuild = options.wbuildMissing == nil

        var sendWbuild = Samples(), sendClassic = Samples(), sendCompose = Samples()
        for sample in 1...runs {
            Progress.say("\(label): new context, sample \(sample)/\(runs)")
            if measureWbuild {
                try ContainerProjectFiles.writeNonce("wbuild \(sample) \(WallClock.realtimeNanoseconds())", at: root)
                let run = try await ProcessTimer.run(wbuildOnce, in: root)
                if checkOnce(run, expectBuilt: true, label: label, what: "first build", report: &report) {
                    sendWbuild.append(run.milliseconds)
                }
            }
            try ContainerProjectFiles.writeNonce("classic \(sample) \(WallClock.realtimeNanoseconds())", at: root)
            sendClassic.append(try await ProcessTimer.runChecked(classic, in: root, environment: DockerPeer.classicBuilder).milliseconds)
            try ContainerProjectFiles.writeNonce("compose \(sample) \(WallClock.realtimeNanoseconds())", at: root)
            sendCompose.append(try await ProcessTimer.runChecked(compose, in: root).milliseconds)
        }

        // One content for all three, each built once untimed, then only cached builds.
        try ContainerProjectFiles.writeNonce("settled \(WallClock.realtimeNanoseconds())", at: root)
        if measureWbuild { _ = try await ProcessTimer.run(wbuildOnce, in: root) }
        try await ProcessTimer.runChecked(classic, in: root, environment: DockerPeer.classicBuilder)
        try await ProcessTimer.runChecked(compose, in: root)
        var noopWbuild = Samples(), noopClassic = Samples(), noopCompose = Samples()
        for sample in 1...runs {
            Progress.say("\(label): no-op, sample \(sample)/\(runs)")
            if measureWbuild {
                let run = try await ProcessTimer.run(wbuildOnce, in: root)
                if checkOnce(run, expectBuilt: false, label: label, what: "no-op", report: &report) {
                    noopWbuild.append(run.milliseconds)
                }
            }
            noopClassic.append(try await ProcessTimer.runChecked(classic, in: root, environment: DockerPeer.classicBuilder).milliseconds)
            noopCompose.append(try await ProcessTimer.runChecked(compose, in: root).milliseconds)
        }

        let atGoalSize = files >= 10_000
        report.add(ReportRow(suite: label, measure: "no-op image check: once (median of \(runs))", unit: .milliseconds,
                             wbuild: noopWbuild.median, peerName: "cached classic docker build", peer: noopClassic.median,
                             goal: atGoalSize ? .ratioAtMost(0.02) : .none))
        report.add(ReportRow(suite: label, measure: "no-op image check: once (median of \(runs))", unit: .milliseconds,
                             wbuild: noopWbuild.median, peerName: "cached docker compose build", peer: noopCompose.median,
                             goal: atGoalSize ? .ratioAtMost(0.1) : .none))
        report.add(ReportRow(suite: label, measure: "new context, cached base: once (median of \(runs))", unit: .milliseconds,
                             wbuild: sendWbuild.median, peerName: "classic docker build", peer: sendClassic.median))
        report.add(ReportRow(suite: label, measure: "new context, cached base: once (median of \(runs))", unit: .milliseconds,
                             wbuild: sendWbuild.median, peerName: "docker compose build", peer: sendCompose.median))
    }

    /// Whether a `wbuild once` counts: exit 0, an ok result, and the image node built (first
    /// build) or cached (no-op). Lists the problem otherwise.
    private func checkOnce(_ run: TimedRun, expectBuilt: Bool, label: String, what: String,
                           report: inout Report) -> Bool {
        guard run.status.isSuccess, let result = OnceResult(run), result.ok else {
            report.problem(BenchError(.commandFailed, "\(label): `wbuild once --json` (\(what)) ended with \(run.status)"
                                      + " without an ok result; figure left out", detail: run.outputText))
            return false
        }
        let built = result.statuses["built", default: 0]
        if expectBuilt ? built == 0 : built > 0 {
            report.suspect("\(label): `wbuild once --json` (\(what)) reported \(result.summary)"
                           + (expectBuilt ? ": the new context built nothing" : ": a no-op built something"))
        }
        return true
    }
}
