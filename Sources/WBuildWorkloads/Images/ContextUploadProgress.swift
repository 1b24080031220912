import Synchronization
import WBuildCore
import WBuildFiles

/// The progress of one image build: context bytes sent (with the rate) while the tar streams to
/// the engine, then the build step the engine is on (`Step 3/5 : RUN make`).
final class ContextUploadProgress: Sendable {
    private let meter: ProgressMeter
    private let totalBytes: Int
    private let sent = Atomic<Int>(0)

    init(meter: ProgressMeter, totalBytes: Int) {
        self.meter = meter
        self.totalBytes = totalBytes
    }

    /// `write`, counting what passes through it.
    func counting(_ write: @escaping ([UInt8]) throws -> Void) -> ([UInt8]) throws -> Void {
        { [self] bytes in
            try write(bytes)
            let total = sent.add(bytes.count, ordering: .relaxed).newValue
            meter.report(NodeProgress(phase: "sending context", done: total, total: max(total, totalBytes), unit: .bytes))
        }
    }

    /// The engine started a step.
    func step(_ line: String) {
        meter.report(NodeProgress(phase: "building", detail: line))
    }
}

extension TreeEntries {
    /// About how many bytes the context's tar takes: each file's content rounded up to the tar
    /// block, a header per entry and the end-of-archive blocks.
    var totalFileBytes: Int {
        reduce(1024) { sum, entry in sum + 512 + (Int(clamping: entry.size) + 511) / 512 * 512 }
    }
}
