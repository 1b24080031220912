/// Conversions of the option values a user types into numbers. Whatever the text — `inf`,
/// `nan`, `1e300`, `-1`, `0x10`, `99999999999999999999` — each returns a value in range or throws a
/// `UsageError` that names the option and says what it takes (exit 2); none can trap.
enum OptionValues {
    /// Most nodes `--jobs` may run at once.
    static let maximumJobs = 1024
    /// Longest `--timeout`: one day.
    static let maximumTimeoutSeconds = 86_400

    /// `--jobs N`: a whole number 1…`maximumJobs`.
    static func jobs(_ text: String, command: String) throws(UsageError) -> Int {
        guard let jobs = wholeNumber(text), (1...maximumJobs).contains(jobs) else {
            throw UsageError(message: "--jobs takes a whole number from 1 to \(maximumJobs), got `\(shown(text))`",
                             command: command)
        }
        return jobs
    }

    /// `--timeout SECONDS`: plain decimal seconds (`90`, `2.5`), at least a millisecond and at most a day.
    static func timeout(_ text: String, command: String) throws(UsageError) -> Duration {
        guard let milliseconds = decimalMilliseconds(text), milliseconds >= 1,
              milliseconds <= maximumTimeoutSeconds * 1000 else {
            throw UsageError(
                message: "--timeout takes a number of seconds from 0.001 to \(maximumTimeoutSeconds) (e.g. 30 or 2.5), got `\(shown(text))`",
                command: command)
        }
        return .milliseconds(milliseconds)
    }

    /// Decimal digits only (no sign, exponent, hex or spaces); nil when not that or beyond 9 digits.
    static func wholeNumber(_ text: String) -> Int? {
        let scalars = text.unicodeScalars
        guard !scalars.isEmpty, scalars.count <= 9, scalars.allSatisfy(isDigit) else { return nil }
        return Int(text)
    }

    /// `DIGITS[.DIGITS]` (or `.DIGITS`) in milliseconds, rounded up; nil when not that shape or
    /// with more than 9 whole digits (so the arithmetic stays far from overflow).
    static func decimalMilliseconds(_ text: String) -> Int? {
        let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return nil }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard whole.count <= 9, whole.unicodeScalars.allSatisfy(isDigit), fraction.unicodeScalars.allSatisfy(isDigit),
              !(whole.isEmpty && fraction.isEmpty), !(parts.count == 2 && fraction.isEmpty) else { return nil }
        let wholeMilliseconds = (whole.isEmpty ? 0 : Int(whole) ?? 0) * 1000
        let digits = Array(fraction.unicodeScalars.map { Int($0.value) - 48 })
        var fractionMilliseconds = 0
        for index in 0..<3 { fractionMilliseconds = fractionMilliseconds * 10 + (index < digits.count ? digits[index] : 0) }
        let roundsUp = digits.dropFirst(3).contains { $0 != 0 }
        return wholeMilliseconds + fractionMilliseconds + (roundsUp ? 1 : 0)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    /// The value as a message shows it: at most 40 characters.
    static func shown(_ text: String) -> String {
        text.unicodeScalars.count <= 40 ? text : String(String.UnicodeScalarView(text.unicodeScalars.prefix(40))) + "…"
    }
}
