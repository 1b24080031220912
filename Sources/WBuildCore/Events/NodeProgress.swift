/// How far a node that takes a while has got: files scanned and hashed, context bytes sent, the
/// build step, replicas ready. The terminal shows it as one updating line, `--json` as
/// `progress` events; `ProgressMeter` decides when one is worth showing.
public struct NodeProgress: Sendable, Equatable {
    /// What `done` and `total` count.
    public enum Unit: String, Sendable {
        case files, bytes, replicas
    }

    /// What the node is doing: `scanning`, `sending context`, `building`, `waiting for readiness`.
    public var phase: String
    public var done: Int
    /// Nil when the end is not known in advance (a walk of a tree).
    public var total: Int?
    public var unit: Unit?
    /// Units per second since the phase began (`ProgressMeter` fills it in for bytes).
    public var ratePerSecond: Double?
    /// More about the phase: the build step (`Step 3/5 : RUN make`), the probe's last error.
    public var detail: String?

    public init(phase: String, done: Int = 0, total: Int? = nil, unit: Unit? = nil, ratePerSecond: Double? = nil,
                detail: String? = nil) {
        self.phase = phase
        self.done = done
        self.total = total
        self.unit = unit
        self.ratePerSecond = ratePerSecond
        self.detail = detail
    }

    /// One line for a person: `sending context 120.5 MB of 314.0 MB (42.1 MB/s)`,
    /// `waiting for readiness 1 of 2 replicas — connection refused`.
    public var description: String {
        var text = phase
        if let unit {
            text += " " + Self.amount(done, unit)
            if let total { text += " of " + Self.amount(total, unit) }
            if unit == .files || unit == .replicas { text += " \(unit.rawValue)" }
        }
        if let rate = ratePerSecond, let unit, unit == .bytes { text += " (\(Self.amount(Int(rate), .bytes))/s)" }
        if let detail, !detail.isEmpty { text += " — \(detail)" }
        return text
    }

    private static func amount(_ value: Int, _ unit: Unit) -> String {
        guard unit == .bytes else { return String(value) }
        let units = ["B", "KB", "MB", "GB", "TB"]
        var scaled = Double(value)
        var index = 0
        while scaled >= 1000, index < units.count - 1 {
            scaled /= 1000
            index += 1
        }
        if index == 0 { return "\(value) B" }
        return "\(Double(Int(scaled * 10)) / 10) \(units[index])"
    }
}
