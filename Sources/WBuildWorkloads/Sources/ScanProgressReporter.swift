import WBuildCore
import WBuildFiles

/// Reports a running scan's counters through the node's `ProgressMeter` every 250 ms until
/// `stop()`: `scanning 12034 files — 8000 hashed, 210.4 MB`. The meter keeps quiet for scans
/// that end within half a second, which is nearly all of them.
struct ScanProgressReporter: Sendable {
    let counters = ScanProgress()
    private let task: Task<Void, Never>

    init(meter: ProgressMeter) {
        let counters = self.counters
        task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                let now = counters.snapshot
                meter.report(NodeProgress(phase: "scanning", done: now.filesExamined, unit: .files,
                                          detail: "\(now.filesHashed) hashed (\(Self.megabytes(now.bytesHashed)))"))
            }
        }
    }

    func stop() {
        task.cancel()
    }

    private static func megabytes(_ bytes: Int) -> String {
        "\(Double(bytes / 100_000) / 10) MB"
    }
}
