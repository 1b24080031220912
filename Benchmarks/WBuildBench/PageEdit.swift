import Foundation
import WBuildSystem

/// One edit of a served page, timed as a user sees it: from just before the file's `open`
/// (`CLOCK_REALTIME`) until a GET from the host returns the new content.
struct PageEdit: Sendable {
    /// The file edited (absolute).
    var file: String
    /// The URL path that serves it.
    var urlPath: String
    /// Makes each edit's marker unique to the suite and the run.
    var markerPrefix: String

    struct Timing: Sendable {
        var written: Int64
        var served: Int64
        var milliseconds: Double { WallClock.milliseconds(nanoseconds: served - written) }
    }

    /// Writes edit `index` and polls until it is served; throws `timedOut` if it never is.
    /// The write and the polling run on a thread of their own (`BlockingWork`).
    func run(_ index: Int, timeout: Duration, port: @escaping @Sendable () -> Int?) async throws(BenchError) -> Timing {
        let marker = "\(markerPrefix)-edit-\(index)-\(WallClock.realtimeNanoseconds())"
        let file = self.file, urlPath = self.urlPath
        let outcome: Result<Timing?, BenchError> = await BlockingWork.run(name: "wbuild-bench page edit") {
            let written = WallClock.realtimeNanoseconds()
            do throws(BenchError) {
                try TreeGenerator.write(Array(ContainerProjectFiles.page(marker).utf8), to: file)
            } catch {
                return .failure(error)
            }
            return .success(HTTPProbe.pollUntil(marker: marker, path: urlPath, timeout: timeout, port: port)
                .map { Timing(written: written, served: $0) })
        }
        guard let timing = try outcome.get() else {
            let current = port().map { "port \($0)" } ?? "no known port"
            throw BenchError(.timedOut, "edit \(index) of \(file) was not served at \(urlPath) within \(timeout) (\(current))")
        }
        return timing
    }
}

/// What the suites read from `wbuild watch --json` / `wbuild up --json` event lines.
enum WbuildEvents {
    /// The host port of `workload:NAME` from its newest `ready` event.
    static func latestPort(of workload: String, in process: StampedProcess) -> Int? {
        let id = "workload:" + workload
        guard let line = process.last(where: { $0.eventType == "ready" && field("id", $0) == id }),
              let detail = field("detail", line) else { return nil }
        return HTTPProbe.port(inURLs: detail)
    }

    static func field(_ name: String, _ line: StampedLine) -> String? {
        JSONLine.object(line.text)?[name] as? String
    }

    /// The `liveUpdate` event for `workload:NAME` that arrived at or after `since`.
    static func liveUpdate(of workload: String, since: Int64, in process: StampedProcess) -> StampedLine? {
        let id = "workload:" + workload
        return process.first(since: since) { $0.eventType == "liveUpdate" && field("id", $0) == id }
    }

    /// The phases (`settled`, `sent`, …, in ms) of a `liveUpdate` event.
    static func phases(_ line: StampedLine) -> [String: Double] {
        guard let phases = JSONLine.object(line.text)?["phases"] as? [String: Any] else { return [:] }
        return phases.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }

    /// Waits for the first `pass.done` of a watch (everything built and started) and checks
    /// it: a pass that is not ok is a wbuild failure the report must show, with the failed
    /// nodes' lines (the edits after it would only time out).
    static func waitForFirstPass(_ watch: StampedProcess, label: String,
                                 report: inout Report) async throws(BenchError) {
        let pass = try await watch.waitFor("first `pass.done` event (all workloads up)", timeout: .seconds(180)) {
            $0.eventType == "pass.done"
        }
        guard JSONLine.object(pass.text)?["ok"] as? Bool != true else { return }
        let failed = watch.all { line in
            line.eventType == "error" || (line.eventType == "node.done" && field("status", line) == "failed")
        }
        report.problem(BenchError(.commandFailed, "\(label): the first pass of `\(watch.child.launch.command)` was not ok",
                                  detail: (failed.isEmpty ? [pass] : failed + [pass]).map(\.text).joined(separator: "\n"),
                                  hint: "the edits that follow are timed against what did start"))
    }

    /// Whether a `node.start` for `image:NAME` (a rebuild) arrived at or after `since`.
    static func rebuilt(_ workload: String, since: Int64, in process: StampedProcess) -> Bool {
        process.first(since: since) { $0.eventType == "node.start" && field("id", $0) == "image:" + workload } != nil
    }
}
