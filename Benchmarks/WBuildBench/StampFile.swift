import Foundation

/// The file the watch project's task appends `date +%s%N` to, once per run.
struct StampFile: Sendable {
    var path: String

    func lines() -> [Substring] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n")
    }

    /// Waits until the file has more than `count` lines and returns the newest stamp
    /// (`CLOCK_REALTIME` nanoseconds). Polls every millisecond: the stamp itself carries the
    /// time, so the polling interval does not enter the figure.
    func waitForLine(after count: Int, process: StampedProcess, timeout: Duration) async throws(BenchError) -> Int64 {
        let deadline = ContinuousClock.now + timeout
        while true {
            let current = lines()
            if current.count > count {
                guard let stamp = Int64(current[count].trimmingCharacters(in: .whitespaces)) else {
                    throw BenchError(.fileSystem, "unexpected line in \(path): \(current[count])",
                                     hint: "the task's cmd should append `date +%s%N` output")
                }
                return stamp
            }
            if let status = process.child.exitStatus {
                throw BenchError(.commandFailed, "`\(process.child.launch.command)` ended with \(status) before the task ran",
                                 detail: process.tailText)
            }
            if ContinuousClock.now >= deadline {
                throw BenchError(.timedOut, "no task run within \(timeout) of a write (no new line in \(path))",
                                 detail: process.tailText,
                                 hint: "wbuild watch should run task:stamp when a file under src/ changes")
            }
            try? await Task.sleep(for: .milliseconds(1))
        }
    }
}
