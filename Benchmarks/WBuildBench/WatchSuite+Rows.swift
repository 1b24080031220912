/// The table rows of the watch suite, and the figures they come from.
extension WatchSuite {
    /// What the wbuild side measured; a figure stays `nil` when the step that takes it failed.
    struct WatchFigures {
        var toPassDone: Double?
        var toReady: Double?
        var idleCPUPercent: Double?
        var taskLatency = Samples()
        var eventLatency = Samples()
        var peakResidentMegabytes: Double?
    }

    func addRows(_ figures: WatchFigures, floor: InotifyFloor.Figures?, to report: inout Report) {
        let writes = "\(options.writes) writes"
        report.add(ReportRow(suite: label, measure: "write → task start p50 (\(writes))", unit: .milliseconds,
                             wbuild: figures.taskLatency.median, peerName: "inotifywait",
                             peer: floor?.latency.median, goal: .atMost(Double(options.settleMs + 5))))
        report.add(ReportRow(suite: label, measure: "write → task start p95", unit: .milliseconds,
                             wbuild: figures.taskLatency.percentile(95), peerName: "inotifywait",
                             peer: floor?.latency.percentile(95)))
        report.add(ReportRow(suite: label, measure: "write → node.start event p50", unit: .milliseconds,
                             wbuild: figures.eventLatency.median, peerName: "inotifywait", peer: floor?.latency.median))
        report.add(ReportRow(suite: label, measure: "start → first pass.done (no-op)", unit: .milliseconds,
                             wbuild: figures.toPassDone, peerName: "inotifywait -r ready",
                             peer: floor?.startupMilliseconds, goal: .atMost(1000)))
        report.add(ReportRow(suite: label, measure: "start → `\(options.readyEvent)`", unit: .milliseconds,
                             wbuild: figures.toReady, peerName: "inotifywait -r ready",
                             peer: floor?.startupMilliseconds, goal: .atMost(1000)))
        report.add(ReportRow(suite: label, measure: "peak RSS (VmHWM)", unit: .megabytes,
                             wbuild: figures.peakResidentMegabytes, peerName: "inotifywait",
                             peer: floor?.peakResidentMegabytes, goal: .atMost(64)))
        report.add(ReportRow(suite: label, measure: "idle CPU over \(options.idleSeconds) s", unit: .percent,
                             wbuild: figures.idleCPUPercent, goal: .below(1)))
        if !figures.taskLatency.isEmpty, figures.taskLatency.count < options.writes {
            report.suspect("\(label): only \(figures.taskLatency.count) of \(options.writes) writes were timed")
        }
    }
}
