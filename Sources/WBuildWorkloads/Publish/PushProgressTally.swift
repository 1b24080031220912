import WBuildCore
import WBuildDocker
import Synchronization

/// Adds up a push stream's per-layer lines into one progress figure for the node: bytes sent of
/// the layers being pushed, and how many layers are done (pushed, already there, or mounted).
final class PushProgressTally: Sendable {
    private struct Layer { var current: Int64 = 0; var total: Int64 = 0; var done = false }
    private let layers = Mutex<[String: Layer]>([:])
    private let meter: ProgressMeter
    private let what: String

    init(meter: ProgressMeter, what: String) {
        self.meter = meter
        self.what = what
    }

    func record(_ line: PullProgress) {
        guard let id = line.layer else { return }
        let progress = layers.withLock { layers -> NodeProgress in
            var layer = layers[id] ?? Layer()
            switch line.status {
            case "Pushing":
                layer.current = line.current ?? layer.current
                layer.total = max(layer.total, line.total ?? 0, layer.current)
            case "Pushed", "Layer already exists":
                layer.done = true
                layer.current = max(layer.current, layer.total)
            default:
                if line.status.hasPrefix("Mounted from") { layer.done = true }
            }
            layers[id] = layer
            let sent = layers.values.reduce(Int64(0)) { $0 + $1.current }
            let total = layers.values.reduce(Int64(0)) { $0 + $1.total }
            let finished = layers.values.filter(\.done).count
            return NodeProgress(phase: "pushing \(what)", done: Int(sent), total: total > 0 ? Int(total) : nil, unit: .bytes,
                                detail: "\(finished) of \(layers.count) layers")
        }
        meter.report(progress)
    }
}
