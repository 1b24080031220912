import Foundation
import WBuildSystem

/// Issue 3: `wbuild watch` on a 100k-file / 10k-directory tree, beside `inotifywait -m -r`
/// on the same tree in the same run.
///
/// - startup: from spawn to the first `pass.done` (a no-op pass: `wbuild once` ran before, so
///   state is recorded), and to the ready event (`--ready-event`, default `watching`).
///   Goal ≤ 1 s. Floor: inotifywait's "Watches established.".
/// - idle CPU: utime + stime over `--idle-seconds` after startup, nothing changing. Goal < 1 %.
/// - latency: `--writes` edits, one at a time; from just before the write's `open` to the
///   `date +%s%N` the dirty task's `cmd` appended (the task really started). Also the arrival
///   of the `node.start` event line, for comparison. Goal: p50 ≤ settle window + 5 ms.
///   Floor: inotifywait's event line arriving here.
/// - peak RSS (VmHWM) at the end. Goal ≤ 64 MB.
struct WatchSuite {
    var options: BenchOptions
    var workspace: BenchDirectory

    func run(into report: inout Report) async {
        do {
            try await measure(into: &report)
        } catch {
            report.problem(error)
        }
    }

    var label: String { "watch \(TreeSuite.label(options.watchFiles))" }

    private func measure(into report: inout Report) async throws(BenchError) {
        let root = try workspace.subdirectory("watch")
        defer { if !options.keep { try? FileManager.default.removeItem(atPath: root) } }
        let shape = TreeShape(files: options.watchFiles)
        Progress.say("\(label): generating \(shape.files) files in \(shape.leafDirectories + shape.fanout) directories")
        try TreeGenerator.generate(shape, at: root)
        let stampFile = workspace.path + "/watch-stamps.log"
        try ProjectFile.writeWatch(at: root, stampFile: stampFile, settleMs: options.settleMs)
        let edits = FileEdits(root: root, shape: shape)

        Progress.say("\(label): inotifywait floor")
        let floor: InotifyFloor.Figures?
        do {
            floor = try await InotifyFloor(edits: edits, writes: options.writes).measure()
        } catch {
            floor = nil
            report.problem(BenchError(error.code, "inotifywait floor: " + error.message, detail: error.detail,
                                      hint: "install inotify-tools (scripts/bench.sh does)"))
        }

        var figures = WatchFigures()
        if options.wbuildMissing == nil {
            Progress.say("\(label): wbuild watch")
            do {
                try await measureWatch(root: root, edits: edits, stampFile: stampFile, into: &figures, report: &report)
            } catch {
                report.problem(error)
            }
        }
        addRows(figures, floor: floor, to: &report)
    }

    private func measureWatch(root: String, edits: FileEdits, stampFile: String,
                              into figures: inout WatchFigures, report: inout Report) async throws(BenchError) {
        // Record state first, so the watch's initial pass is a no-op.
        let once = try await ProcessTimer.run(.argv([options.wbuild, "once", "--json", "-f", "wbuild.json"]), in: root)
        if !once.status.isSuccess || OnceResult(once)?.ok != true {
            let outcome = once.status.isSuccess ? "printed no ok {\"type\":\"result\"} line" : "ended with \(once.status)"
            report.problem(BenchError(.commandFailed, "`wbuild once --json` in \(root) \(outcome)",
                                      detail: once.outputText,
                                      hint: "the watch's first pass is then not a no-op; startup figures include hashing"))
        }
        let watch = try StampedProcess.start(.argv([options.wbuild, "watch", "--json", "-f", "wbuild.json"]), in: root)
        do {
            try await measureRunning(watch, edits: edits, stampFile: stampFile, into: &figures, report: &report)
            figures.peakResidentMegabytes = ProcStat.peakResidentMegabytes(pid: watch.pid)
            let status = await watch.stop()
            if status != .exited(0), status != .signaled(SIGTERM) {
                report.problem(BenchError(.commandFailed, "`wbuild watch` ended with \(status) after SIGTERM",
                                          detail: watch.tailText, hint: "Ctrl-C / SIGTERM should end it with exit code 0"))
            }
        } catch {
            figures.peakResidentMegabytes = figures.peakResidentMegabytes ?? ProcStat.peakResidentMegabytes(pid: watch.pid)
            _ = await watch.stop()
            var failure = error
            failure.hint = failure.hint ?? "the watch suite needs `wbuild watch --json` to run the dirty task and emit"
                + " `pass.done` after each pass; figures after this step are left out"
            throw failure
        }
    }

    private func measureRunning(_ watch: StampedProcess, edits: FileEdits, stampFile: String,
                         into figures: inout WatchFigures, report: inout Report) async throws(BenchError) {
        let passDone = try await watch.waitFor("`pass.done` event", timeout: .seconds(120)) { $0.eventType == "pass.done" }
        figures.toPassDone = WallClock.milliseconds(nanoseconds: passDone.arrived - watch.started)
        let readyEvent = options.readyEvent
        if let ready = try? await watch.waitFor("`\(readyEvent)` event", timeout: .seconds(5), { $0.eventType == readyEvent }) {
            figures.toReady = WallClock.milliseconds(nanoseconds: ready.arrived - watch.started)
        } else {
            report.problem(BenchError(.timedOut, "\(label): `wbuild watch --json` emitted no `\(readyEvent)` event within 5 s of `pass.done`",
                                      hint: "if the event has another name, pass --ready-event NAME"))
        }

        Progress.say("\(label): idle CPU for \(options.idleSeconds) s")
        if let before = ProcStat.cpuSeconds(pid: watch.pid) {
            try? await Task.sleep(for: .seconds(options.idleSeconds))
            if let after = ProcStat.cpuSeconds(pid: watch.pid) {
                figures.idleCPUPercent = (after - before) / Double(options.idleSeconds) * 100
            }
        }

        Progress.say("\(label): \(options.writes) timed writes")
        let stamps = StampFile(path: stampFile)
        for index in 0..<options.writes {
            let seen = stamps.lines().count
            let written = try edits.write(index)
            let stamp = try await stamps.waitForLine(after: seen, process: watch, timeout: .seconds(10))
            figures.taskLatency.append(WallClock.milliseconds(nanoseconds: stamp - written))
            if let start = watch.first(since: written, { $0.eventType == "node.start" }) {
                figures.eventLatency.append(WallClock.milliseconds(nanoseconds: start.arrived - written))
            }
            // The pass that ran the task must end before the next edit, or edits coalesce.
            _ = try await watch.waitFor("`pass.done` after edit \(index)", since: written, timeout: .seconds(10)) {
                $0.eventType == "pass.done"
            }
        }
    }
}
