import Foundation
import WBuildSystem

/// A set of samples (durations in milliseconds) and the order statistics the report prints.
struct Samples: Sendable {
    /// The samples in the order they were taken.
    private(set) var values: [Double] = []

    init(_ values: [Double] = []) { self.values = values }

    mutating func append(_ milliseconds: Double) { values.append(milliseconds) }

    var count: Int { values.count }
    var isEmpty: Bool { values.isEmpty }

    /// The median; the mean of the two middle samples for an even count. `nil` when empty.
    var median: Double? {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The `p`-th percentile (0…100) by the nearest-rank method: the smallest sample with at
    /// least `p`% of the samples at or below it. `nil` when empty.
    func percentile(_ p: Double) -> Double? {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

/// Wall-clock readings: monotonic for durations, realtime where a timestamp must be compared
/// with one another process took (`date +%s%N`).
enum WallClock {
    /// Nanoseconds since the epoch (`CLOCK_REALTIME`), comparable with `date +%s%N`.
    static func realtimeNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    static func milliseconds(nanoseconds: Int64) -> Double { Double(nanoseconds) / 1e6 }
}

/// One finished run of a command: how long the whole process took and how it ended.
struct TimedRun: Sendable {
    var milliseconds: Double
    var status: ExitStatus
    /// The last lines of stdout and stderr, oldest first.
    var output: [OutputChunk]

    /// The last stderr lines (or any output, when stderr was empty), for failure messages.
    var failureText: String {
        let errors = output.filter { $0.stream == .stderr }
        let lines = (errors.isEmpty ? output : errors).suffix(12).map(\.line)
        return lines.isEmpty ? "(no output)" : lines.joined(separator: "\n")
    }

    /// The last lines of both streams, as they came.
    var outputText: String {
        let lines = output.suffix(12).map(\.description)
        return lines.isEmpty ? "(no output)" : lines.joined(separator: "\n")
    }
}

/// Runs a command and measures its whole-process wall time: from just before `posix_spawn`
/// until it has exited and its output is read. Every command (wbuild and its peers) goes
/// through this same path, so the fixed cost of spawning cancels out of the ratios.
enum ProcessTimer {
    /// `tailLines`: how many of the last output lines the run keeps (a `--json` stream with
    /// progress events needs more than the default to keep every `node.done`).
    static func run(_ command: ProcessCommand, in directory: String,
                    environment: [String: String] = [:], tailLines: Int = 40) async throws(BenchError) -> TimedRun {
        let launch = ProcessLaunch(command, directory: directory, environment: environment, tailLineCount: tailLines)
        let start = ContinuousClock.now
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(launch)
        } catch {
            throw BenchError(.commandFailed, "could not start `\(command)` in \(directory)",
                             detail: error.description, hint: "check that the program is installed and on PATH")
        }
        let status = await child.wait()
        let elapsed = ContinuousClock.now - start
        return TimedRun(milliseconds: WallClock.milliseconds(elapsed), status: status, output: child.tail)
    }

    /// Runs `command` and throws, with its stderr, unless it exits 0.
    @discardableResult
    static func runChecked(_ command: ProcessCommand, in directory: String,
                           environment: [String: String] = [:], tailLines: Int = 40) async throws(BenchError) -> TimedRun {
        let run = try await run(command, in: directory, environment: environment, tailLines: tailLines)
        guard run.status.isSuccess else {
            throw BenchError(.commandFailed, "`\(command)` in \(directory) ended with \(run.status)",
                             detail: run.failureText, hint: nil)
        }
        return run
    }
}
