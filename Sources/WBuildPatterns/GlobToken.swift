/// One compiled piece of a glob pattern. Paths are matched as UTF-8 bytes.
public enum GlobToken: Sendable, Equatable {
    /// These exact bytes.
    case literal([UInt8])
    /// `?`: one Unicode scalar other than `/`.
    case anyScalar
    /// `[...]`: one Unicode scalar in (or, negated, not in) the class.
    case scalarClass(ScalarClass)
    /// `*`: any run of bytes without `/` (possibly empty).
    case star
    /// `**/` (or `**` before more pattern): zero or more whole leading directories, i.e. `(.*/)?`.
    case globstarPrefix
    /// `**` at the end: anything, including `/` (`.*`).
    case globstarTail
}

/// The set a `[...]` bracket expression accepts.
public struct ScalarClass: Sendable, Equatable {
    public var ranges: [ClosedRange<UInt32>]
    public var negated: Bool
    /// Whether a negated class may match `/` (Docker's regexp translation lets it; globs do not).
    public var negationMatchesSlash: Bool

    public init(ranges: [ClosedRange<UInt32>], negated: Bool, negationMatchesSlash: Bool) {
        self.ranges = ranges
        self.negated = negated
        self.negationMatchesSlash = negationMatchesSlash
    }

    /// Whether the scalar `scalar` (its value) is in the set.
    public func accepts(_ scalar: UInt32) -> Bool {
        if scalar == 0x2F, !(negated && negationMatchesSlash) { return false }
        var inside = false
        for range in ranges where range.contains(scalar) {
            inside = true
            break
        }
        return inside != negated
    }
}
