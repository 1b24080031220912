import Foundation
import WBuildSystem

/// Issue 6: live updates, wbuild watch beside `docker compose watch` on the same app and the
/// same edits in the same run, with the engine floors beside them.
///
/// Each edit rewrites a page; the figure runs from just before the write to the first GET
/// from the host that returns the new page (`PageEdit`). Two modes, `--live-edits` edits
/// each, p50 and p95:
/// - sync: wbuild `restart: "none"` vs Compose `action: sync`. Goal p50 ≤ 0.15× Compose.
/// - sync + restart: wbuild `restart: "process"` (its supervisor restarts the server) vs
///   Compose `action: sync+restart` (restarts the container). Goal p50 ≤ 0.15× Compose.
struct LiveUpdateSuite {
    var options: BenchOptions
    var workspace: BenchDirectory

    private let label = "liveupdate"

    /// The two modes timed, per side.
    private struct ModeSamples {
        var sync = Samples()
        var restart = Samples()
    }

    func run(into report: inout Report) async {
        await ContainerSuiteRun(options: options, workspace: workspace)
            .run(label: label, project: "lu", directory: "liveupdate", into: &report) { name, root, report throws(BenchError) in
                try await measure(name: name, root: root, into: &report)
            }
    }

    private func measure(name: String, root: String, into report: inout Report) async throws(BenchError) {
        let webPort = try HTTPProbe.freePort()
        let appPort = try HTTPProbe.freePort()
        try ContainerProjectFiles.writeLiveUpdate(at: root, name: name, composeWebPort: webPort, composeAppPort: appPort)
        try await DockerPeer.checkCompose(in: root)
        let syncEdit = PageEdit(file: root + "/" + ContainerProjectFiles.liveSyncPage, urlPath: "/", markerPrefix: name + "-sync")
        let restartEdit = PageEdit(file: root + "/" + ContainerProjectFiles.liveRestartPage, urlPath: "/",
                                   markerPrefix: name + "-restart")

        var wbuild = ModeSamples()
        var phases: [String: Samples] = [:]
        if options.wbuildMissing == nil {
            Progress.say("\(label): wbuild watch, \(options.liveEdits) edits per mode")
            wbuild = await timeWbuild(sync: syncEdit, restart: restartEdit, root: root, phases: &phases, report: &report)
            _ = try? await ProcessTimer.run(.argv([options.wbuild, "down", "-f", "wbuild.json"]), in: root)
        }
        Progress.say("\(label): docker compose watch, \(options.liveEdits) edits per mode")
        let compose = await timeCompose(name: name, sync: syncEdit, restart: restartEdit, webPort: webPort,
                                        appPort: appPort, root: root, report: &report)
        _ = try? await ProcessTimer.run(DockerPeer.compose(name, ["down", "-t", "0"]), in: root)

        Progress.say("\(label): engine floors")
        var floors: EngineFloors.Figures?
        do {
            floors = try await EngineFloors(image: "\(name)-app:bench", containerName: "\(name)-floor", runName: name,
                                            directory: root, samples: options.liveEdits).measure()
        } catch {
            report.problem(BenchError(error.code, "\(label) floors: " + error.message, detail: error.detail,
                                      hint: "the floors need curl and the compose-built image \(name)-app:bench"))
        }
        addRows(wbuild: wbuild, compose: compose, floors: floors, phases: phases, to: &report)
    }

    private func addRows(wbuild: ModeSamples, compose: ModeSamples, floors: EngineFloors.Figures?,
                         phases: [String: Samples], to report: inout Report) {
        let edits = options.liveEdits
        let sync = "\(label) sync", restart = "\(label) sync+restart"
        func row(_ suite: String, _ measure: String, _ mine: Double?, _ peerName: String, _ peer: Double?,
                 _ goal: Goal = .none) {
            report.add(ReportRow(suite: suite, measure: measure, unit: .milliseconds, wbuild: mine,
                                 peerName: peerName, peer: peer, goal: goal))
        }
        row(sync, "write → served p50 (\(edits) edits)", wbuild.sync.median, "compose watch sync",
            compose.sync.median, .ratioAtMost(0.15))
        row(sync, "write → served p95", wbuild.sync.percentile(95), "compose watch sync", compose.sync.percentile(95))
        row(sync, "write → served p50 beside a floor", wbuild.sync.median, "archive PUT (curl)", floors?.archivePut.median)
        row(sync, "write → served p50 beside a floor", wbuild.sync.median, "docker cp", floors?.copy.median)
        row(restart, "write → served p50 (\(edits) edits)", wbuild.restart.median, "compose watch sync+restart",
            compose.restart.median, .ratioAtMost(0.15))
        row(restart, "write → served p95", wbuild.restart.percentile(95), "compose watch sync+restart",
            compose.restart.percentile(95))
        row(restart, "write → served p50 beside a floor", wbuild.restart.median, "docker exec true", floors?.exec.median)
        row(restart, "write → served p50 beside a floor", wbuild.restart.median, "docker restart -t 0",
            floors?.restart.median)
        if let floors {
            let text = [("archive PUT", floors.archivePut), ("docker cp", floors.copy), ("docker exec true", floors.exec),
                        ("docker restart -t 0", floors.restart)]
                .map { "\($0.0) p50 \(format($0.1.median)) / p95 \(format($0.1.percentile(95))) ms (\($0.1.count))" }
            report.notes.append("\(label) floors (whole processes: curl or the docker CLI): " + text.joined(separator: "; "))
        }
        if !phases.isEmpty {
            let order = ["settled", "sent", "steps", "restarted", "ready"]
            for (workload, mode) in [("web", "sync"), ("app", "sync+restart")] {
                let keys = order.filter { phases[workload + " " + $0] != nil }
                guard !keys.isEmpty else { continue }
                report.notes.append("\(label) \(mode): wbuild's own `liveUpdate` phases, ms from the change (medians): "
                                    + keys.map { "\($0) \(format(phases[workload + " " + $0]?.median))" }.joined(separator: ", "))
            }
        }
    }

    private func format(_ value: Double?) -> String { value.map(Report.format) ?? "—" }

    private func timeWbuild(sync: PageEdit, restart: PageEdit, root: String, phases: inout [String: Samples],
                            report: inout Report) async -> ModeSamples {
        var samples = ModeSamples()
        let watch: StampedProcess
        do {
            watch = try StampedProcess.start(.argv([options.wbuild, "watch", "--json", "-f", "wbuild.json"]), in: root)
        } catch {
            report.problem(BenchError(error.code, "\(label): `wbuild watch --json`: " + error.message, detail: error.detail))
            return samples
        }
        do {
            try await WbuildEvents.waitForFirstPass(watch, label: label, report: &report)
        } catch {
            _ = await watch.stop()
            report.problem(BenchError(error.code, "\(label): `wbuild watch --json`: " + error.message, detail: error.detail))
            return samples
        }
        // The modes alternate edit by edit, so a change in the machine's load touches both.
        var failed: Set<String> = []
        for index in 0...options.liveEdits {
            for (mode, edit, workload) in [("sync", sync, "web"), ("sync+restart", restart, "app")] where !failed.contains(mode) {
                do {
                    let milliseconds = try await timeWbuildEdit(index, edit, workload: workload, watch: watch,
                                                                phases: &phases, report: &report)
                    // Edit 0 is a warm-up (the first sync into the container, the first restart).
                    if index > 0 {
                        if mode == "sync" { samples.sync.append(milliseconds) } else { samples.restart.append(milliseconds) }
                    }
                } catch {
                    failed.insert(mode)
                    if mode == "sync" { samples.sync = Samples() } else { samples.restart = Samples() }
                    report.problem(BenchError(error.code, "\(label) \(mode): `wbuild watch --json` (workload \(workload)): "
                                              + error.message, detail: error.detail ?? watch.tailText,
                                              hint: "figures of this mode are left out"))
                }
            }
        }
        let status = await watch.stop()
        if status != .exited(0), status != .signaled(SIGTERM) {
            report.problem(BenchError(.commandFailed, "\(label): `wbuild watch` ended with \(status) after SIGTERM",
                                      detail: watch.tailText))
        }
        return samples
    }

    /// One edit under `wbuild watch`: its write → served time; checks that it was a live
    /// update (no image rebuild) and collects the `liveUpdate` event's phases.
    private func timeWbuildEdit(_ index: Int, _ edit: PageEdit, workload: String, watch: StampedProcess,
                                phases: inout [String: Samples], report: inout Report) async throws(BenchError) -> Double {
        let timing: PageEdit.Timing
        do {
            timing = try await edit.run(index, timeout: .seconds(30)) { WbuildEvents.latestPort(of: workload, in: watch) }
        } catch {
            var failure = error
            failure.detail = watch.tailText
            throw failure
        }
        if WbuildEvents.rebuilt(workload, since: timing.written, in: watch) {
            report.suspect("\(label): edit \(index) of \(workload) rebuilt its image instead of a live update")
        }
        let update = try await watch.waitFor("`liveUpdate` event for workload:\(workload) after edit \(index)",
                                             since: timing.written, timeout: .seconds(30)) {
            $0.eventType == "liveUpdate" && WbuildEvents.field("id", $0) == "workload:" + workload
        }
        // A live update is not a pass: its `liveUpdate` event is the last word on it.
        for (phase, milliseconds) in WbuildEvents.phases(update) where index > 0 {
            phases[workload + " " + phase, default: Samples()].append(milliseconds)
        }
        Progress.say("\(label): wbuild \(workload) edit \(index): \(Report.format(timing.milliseconds)) ms, \(update.text)")
        return timing.milliseconds
    }

    private func timeCompose(name: String, sync: PageEdit, restart: PageEdit, webPort: Int, appPort: Int,
                             root: String, report: inout Report) async -> ModeSamples {
        var samples = ModeSamples()
        let watch: StampedProcess
        do {
            watch = try StampedProcess.start(DockerPeer.compose(name, ["watch"]), in: root)
            _ = try await watch.waitFor("\"Watch enabled\"", timeout: .seconds(180)) { $0.text.contains("Watch enabled") }
        } catch {
            report.problem(BenchError(error.code, "\(label): `docker compose watch`: " + error.message, detail: error.detail))
            return samples
        }
        var failed: Set<String> = []
        for index in 0...options.liveEdits {
            for (mode, edit, port) in [("sync", sync, webPort), ("sync+restart", restart, appPort)] where !failed.contains(mode) {
                do {
                    let milliseconds = try await edit.run(index, timeout: .seconds(60)) { port }.milliseconds
                    // Edit 0 is a warm-up, as on wbuild's side.
                    if index > 0 {
                        if mode == "sync" { samples.sync.append(milliseconds) } else { samples.restart.append(milliseconds) }
                    }
                    Progress.say("\(label): compose \(mode) edit \(index): \(Report.format(milliseconds)) ms")
                } catch {
                    failed.insert(mode)
                    if mode == "sync" { samples.sync = Samples() } else { samples.restart = Samples() }
                    report.problem(BenchError(error.code, "\(label) \(mode): `docker compose watch`: " + error.message,
                                              detail: watch.tailText, hint: "figures of this mode are left out"))
                }
            }
        }
        _ = await watch.stop()
        return samples
    }
}
