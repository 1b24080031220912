/// A duration on the command line, as `docker logs --since` takes it: a number and a unit
/// (`500ms`, `30s`, `5m`, `2h`, `1d`), or several (`1h30m`); a bare number is seconds.
enum DurationArgument {
    /// Seconds, or nil when `text` is not a duration.
    static func seconds(_ text: String) -> Double? {
        if let plain = Double(text), plain >= 0, plain.isFinite { return plain }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        var total = 0.0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber || $0 == "." }
            guard !digits.isEmpty, let value = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let (unit, scale) = units.first(where: { rest.hasPrefix($0.0) && !(($0.0 == "m") && rest.hasPrefix("ms")) }) else {
                return nil
            }
            rest = rest.dropFirst(unit.count)
            total += value * scale
        }
        return total.isFinite ? total : nil
    }
}
