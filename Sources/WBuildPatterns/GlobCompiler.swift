/// Turns pattern text into `GlobToken`s, rejecting malformed patterns with the position of the fault.
///
/// `**` follows moby's `patternmatcher`: `**/` (or `**` followed by anything) stands for
/// zero or more leading directories, and a trailing `**` for anything at all.
public struct GlobCompiler: Sendable {
    public let pattern: String
    public let dialect: GlobDialect

    public init(pattern: String, dialect: GlobDialect) {
        self.pattern = pattern
        self.dialect = dialect
    }

    /// The tokens of `pattern`; throws the first fault (unclosed or empty `[`, an unescaped `-`
    /// or `]` in a class, a trailing `\`) with its position.
    public func compile() throws(PatternError) -> [GlobToken] {
        let scalars = Array(pattern.unicodeScalars)
        var tokens: [GlobToken] = []
        var literal: [UInt8] = []
        func flushLiteral() {
            if !literal.isEmpty {
                tokens.append(.literal(literal))
                literal.removeAll()
            }
        }
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "*":
                flushLiteral()
                if index + 1 < scalars.count, scalars[index + 1] == "*" {
                    index += 2
                    if index < scalars.count, scalars[index] == "/" { index += 1 }
                    tokens.append(index == scalars.count ? .globstarTail : .globstarPrefix)
                    continue
                }
                tokens.append(.star)
            case "?":
                flushLiteral()
                tokens.append(.anyScalar)
            case "[":
                flushLiteral()
                let (scalarClass, next) = try parseClass(scalars, openingAt: index)
                tokens.append(.scalarClass(scalarClass))
                index = next
                continue
            case "\\":
                guard index + 1 < scalars.count else {
                    throw PatternError(reason: "trailing backslash escapes nothing", position: index)
                }
                index += 1
                literal.append(contentsOf: String(scalars[index]).utf8)
            default:
                literal.append(contentsOf: String(scalar).utf8)
            }
            index += 1
        }
        flushLiteral()
        return tokens
    }

    /// Parses `[...]` starting at `start` (the `[`); returns the class and the index after `]`.
    private func parseClass(_ scalars: [Unicode.Scalar], openingAt start: Int) throws(PatternError) -> (ScalarClass, Int) {
        var index = start + 1
        var negated = false
        if index < scalars.count, scalars[index] == "^" || (dialect == .standard && scalars[index] == "!") {
            negated = true
            index += 1
        }
        let unclosed = PatternError(reason: "unclosed '['", position: start)
        var ranges: [ClosedRange<UInt32>] = []
        var memberCount = 0
        func readMember() throws(PatternError) -> UInt32 {
            guard index < scalars.count else { throw unclosed }
            var scalar = scalars[index]
            if scalar == "\\" {
                index += 1
                guard index < scalars.count else { throw unclosed }
                scalar = scalars[index]
            } else if scalar == "-" || scalar == "]" {
                throw PatternError(reason: "'\(scalar)' must be escaped here in a character class", position: index)
            }
            index += 1
            return scalar.value
        }
        while true {
            guard index < scalars.count else { throw unclosed }
            if scalars[index] == "]" {
                guard memberCount > 0 else { throw PatternError(reason: "empty character class", position: start) }
                index += 1
                break
            }
            let low = try readMember()
            var high = low
            if index < scalars.count, scalars[index] == "-" {
                index += 1
                high = try readMember()
            }
            memberCount += 1
            // An inverted range (`[z-a]`) matches nothing, as in Go's filepath.Match.
            if low <= high { ranges.append(low...high) }
        }
        let scalarClass = ScalarClass(ranges: ranges, negated: negated, negationMatchesSlash: dialect == .docker)
        return (scalarClass, index)
    }
}
