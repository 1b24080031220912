import Foundation
import WBuildSystem

/// Issue 5: bringing up a project like Samples/shop, and rebuild-and-replace in `watch`,
/// wbuild beside Docker Compose v2 on the same app in the same run.
///
/// - up: images already built, containers down; `wbuild up --json` to exit (all ready) vs
///   `docker compose up -d --wait` (all healthy). Goal ≤ 0.7× Compose.
/// - rebuild-and-replace: under `wbuild watch` / `docker compose watch` (action `rebuild`),
///   an edit of web's page until the host gets the new page from the new container, over
///   `--rebuild-edits` edits, p50/p95. Goal p50 ≤ 0.8× Compose.
struct UpSuite {
    var options: BenchOptions
    var workspace: BenchDirectory

    private let label = "up shop"

    func run(into report: inout Report) async {
        await ContainerSuiteRun(options: options, workspace: workspace)
            .run(label: label, project: "up", directory: "up", into: &report) { name, root, report throws(BenchError) in
                try await measure(name: name, root: root, into: &report)
            }
    }

    private var measureWbuild: Bool { options.wbuildMissing == nil }

    private func measure(name: String, root: String, into report: inout Report) async throws(BenchError) {
        let webPort = try HTTPProbe.freePort()
        try ContainerProjectFiles.writeShop(at: root, name: name, composeWebPort: webPort)
        try await DockerPeer.checkCompose(in: root)
        let wbuildUp = ProcessCommand.argv([options.wbuild, "up", "--json", "-f", "wbuild.json"])
        let wbuildDown = ProcessCommand.argv([options.wbuild, "down", "-f", "wbuild.json"])
        let composeUp = DockerPeer.compose(name, ["up", "-d", "--wait"])
        let composeDown = DockerPeer.compose(name, ["down", "-t", "0"])

        Progress.say("\(label): building the images (untimed), one untimed up and down each")
        if measureWbuild {
            try await ProcessTimer.runChecked(wbuildUp, in: root)
            try await ProcessTimer.runChecked(wbuildDown, in: root)
        }
        try await ProcessTimer.runChecked(DockerPeer.compose(name, ["build", "-q"]), in: root)
        try await ProcessTimer.runChecked(composeUp, in: root)
        try await ProcessTimer.runChecked(composeDown, in: root)

        var upWbuild = Samples(), upCompose = Samples()
        for sample in 1...options.runs {
            Progress.say("\(label): up, sample \(sample)/\(options.runs)")
            if measureWbuild {
                let run = try await ProcessTimer.run(wbuildUp, in: root)
                if run.status.isSuccess, OnceResult(run)?.ok == true {
                    upWbuild.append(run.milliseconds)
                } else {
                    report.problem(BenchError(.commandFailed, "\(label): `wbuild up --json` ended with \(run.status)"
                                              + " without an ok result; figure left out", detail: run.outputText))
                }
                if let result = OnceResult(run), result.statuses["built", default: 0] > 3 {
                    report.suspect("\(label): `wbuild up` with images built reported \(result.summary)")
                }
                try await ProcessTimer.runChecked(wbuildDown, in: root)
            }
            upCompose.append(try await ProcessTimer.runChecked(composeUp, in: root).milliseconds)
            try await ProcessTimer.runChecked(composeDown, in: root)
        }
        report.add(ReportRow(suite: label, measure: "up, images built → all ready (median of \(options.runs))",
                             unit: .milliseconds, wbuild: upWbuild.median, peerName: "docker compose up -d --wait",
                             peer: upCompose.median, goal: .ratioAtMost(0.7)))

        let edit = PageEdit(file: root + "/" + ContainerProjectFiles.shopWebPage, urlPath: "/", markerPrefix: name)
        var replaceWbuild = Samples()
        if measureWbuild {
            Progress.say("\(label): rebuild-and-replace under wbuild watch, \(options.rebuildEdits) edits")
            do {
                replaceWbuild = try await timeWbuildReplace(edit: edit, root: root, report: &report)
            } catch {
                report.problem(error)
            }
            _ = try? await ProcessTimer.run(wbuildDown, in: root)
        }
        Progress.say("\(label): rebuild under docker compose watch, \(options.rebuildEdits) edits")
        var replaceCompose = Samples()
        do {
            replaceCompose = try await timeComposeRebuild(name: name, edit: edit, webPort: webPort, root: root)
        } catch {
            report.problem(error)
        }
        _ = try? await ProcessTimer.run(composeDown, in: root)
        let edits = options.rebuildEdits
        report.add(ReportRow(suite: label, measure: "watch: edit → new container serves it, p50 (\(edits) edits)",
                             unit: .milliseconds, wbuild: replaceWbuild.median, peerName: "compose watch rebuild",
                             peer: replaceCompose.median, goal: .ratioAtMost(0.8)))
        report.add(ReportRow(suite: label, measure: "watch: edit → new container serves it, p95",
                             unit: .milliseconds, wbuild: replaceWbuild.percentile(95), peerName: "compose watch rebuild",
                             peer: replaceCompose.percentile(95)))
    }

    private func timeWbuildReplace(edit: PageEdit, root: String, report: inout Report) async throws(BenchError) -> Samples {
        let watch = try StampedProcess.start(.argv([options.wbuild, "watch", "--json", "-f", "wbuild.json"]), in: root)
        var samples = Samples()
        do {
            try await WbuildEvents.waitForFirstPass(watch, label: label, report: &report)
            // Edit 0 is a warm-up, not timed (on both sides).
            for index in 0...options.rebuildEdits {
                let timing = try await edit.run(index, timeout: .seconds(60)) {
                    WbuildEvents.latestPort(of: "web", in: watch)
                }
                if index > 0 { samples.append(timing.milliseconds) }
                Progress.say("\(label): wbuild edit \(index): \(Report.format(timing.milliseconds)) ms")
                if !WbuildEvents.rebuilt("web", since: timing.written, in: watch) {
                    report.suspect("\(label): edit \(index) was served without a `node.start` of image:web (no rebuild?)")
                }
                _ = try await watch.waitFor("`pass.done` after edit \(index)", since: timing.written, timeout: .seconds(60)) {
                    $0.eventType == "pass.done"
                }
            }
        } catch {
            _ = await watch.stop()
            var failure = error
            failure.message = "\(label): `wbuild watch --json`: " + failure.message
            failure.detail = failure.detail ?? watch.tailText
            throw failure
        }
        let status = await watch.stop()
        if status != .exited(0), status != .signaled(SIGTERM) {
            report.problem(BenchError(.commandFailed, "\(label): `wbuild watch` ended with \(status) after SIGTERM",
                                      detail: watch.tailText))
        }
        return samples
    }

    private func timeComposeRebuild(name: String, edit: PageEdit, webPort: Int, root: String) async throws(BenchError) -> Samples {
        let watch = try StampedProcess.start(DockerPeer.compose(name, ["watch"]), in: root)
        var samples = Samples()
        do {
            _ = try await watch.waitFor("\"Watch enabled\"", timeout: .seconds(180)) { $0.text.contains("Watch enabled") }
            for index in 0...options.rebuildEdits {
                let timing = try await edit.run(index, timeout: .seconds(120)) { webPort }
                if index > 0 { samples.append(timing.milliseconds) }
                Progress.say("\(label): compose edit \(index): \(Report.format(timing.milliseconds)) ms")
            }
        } catch {
            _ = await watch.stop()
            var failure = error
            failure.message = "\(label): `docker compose watch`: " + failure.message
            failure.detail = failure.detail ?? watch.tailText
            throw failure
        }
        _ = await watch.stop()
        return samples
    }
}
