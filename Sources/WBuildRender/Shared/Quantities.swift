/// CPU and memory as Kubernetes writes quantities: `500m`, `2`, `256Mi`, `1Gi`.
public enum Quantities {
    /// Whole CPUs plain, fractions in millicores (`0.5` → `500m`, `0.25` → `250m`).
    public static func cpu(_ cpus: Double) -> String {
        let millis = Int((cpus * 1000).rounded())
        return millis % 1000 == 0 ? String(millis / 1000) : "\(millis)m"
    }

    /// The largest binary unit that divides the byte count exactly (`Gi`, `Mi`, `Ki`), else bytes.
    public static func memory(_ bytes: Int) -> String {
        for (unit, size) in [("Ti", 1 << 40), ("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] where bytes >= size && bytes % size == 0 {
            return "\(bytes / size)\(unit)"
        }
        return String(bytes)
    }

    /// Milliseconds as whole seconds, at least `minimum` (Kubernetes probe periods are seconds).
    public static func seconds(_ milliseconds: Int, minimum: Int = 1) -> Int {
        max(minimum, (milliseconds + 999) / 1000)
    }

    /// Milliseconds as a Go duration, as compose files and Swarm write them (`200ms`, `5s`, `1m30s`).
    public static func duration(_ milliseconds: Int) -> String {
        if milliseconds == 0 { return "0s" }
        if milliseconds % 1000 != 0 { return "\(milliseconds)ms" }
        let seconds = milliseconds / 1000
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        if seconds > 60 { return "\(seconds / 60)m\(seconds % 60)s" }
        return "\(seconds)s"
    }
}
