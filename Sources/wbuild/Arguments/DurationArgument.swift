/// A duration on the command line, as `docker logs --since` takes it: a number and a unit
/// (`500ms`, `30s`, `5m`, `2h`, `1d`), or several (`1h30m`); a bare number is seconds. Numbers
/// are plain decimals (`OptionValues.decimalMilliseconds`: no sign, exponent, `inf` or `nan`),
/// and the whole is at most `maximumSeconds`, so nothing a user types can overflow or trap.
enum DurationArgument {
    /// Longest duration: about 100 years.
    static let maximumSeconds = 3_200_000_000

    /// Milliseconds, or nil when `text` is not a duration in range.
    static func milliseconds(_ text: String) -> Int? {
        if let plain = OptionValues.decimalMilliseconds(text) { return plain <= maximumSeconds * 1000 ? plain : nil }
        let units: [(name: String, milliseconds: Int)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        var total = 0
        var rest = Substring(text)
        guard !rest.isEmpty, rest.unicodeScalars.count <= 64 else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { ("0"..."9").contains($0) || $0 == "." }
            guard !number.isEmpty, let amount = OptionValues.decimalMilliseconds(String(number)) else { return nil }
            rest = rest.dropFirst(number.count)
            // "ms" before "m", so 500ms is not 500 minutes and an "s".
            guard let unit = units.sorted(by: { $0.name.count > $1.name.count }).first(where: { rest.hasPrefix($0.name) }) else { return nil }
            rest = rest.dropFirst(unit.name.count)
            // amount is milliseconds of the number (≤ 10^12); scaled per unit without overflow.
            let (scaled, overflow) = amount.multipliedReportingOverflow(by: unit.milliseconds)
            guard !overflow else { return nil }
            total += scaled / 1000
            guard total <= maximumSeconds * 1000 else { return nil }
        }
        return total
    }
}
