/// A position in a source file: 1-based line, and 1-based column counted in Unicode scalars.
public struct SourcePosition: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    /// `line:column`, the form error messages use after the file name.
    public var description: String { "\(line):\(column)" }
}

/// Counts lines and columns as scalars go by. LF, CR, CRLF, U+2028 and U+2029 each end a line.
struct LineCounter {
    private(set) var line = 1
    private(set) var column = 1
    private var afterCarriageReturn = false

    var location: SourcePosition { SourcePosition(line: line, column: column) }

    mutating func consume(_ scalar: Unicode.Scalar) {
        switch scalar {
        case "\n":
            if !afterCarriageReturn { newLine() }
            afterCarriageReturn = false
        case "\r":
            newLine()
            afterCarriageReturn = true
        case "\u{2028}", "\u{2029}":
            newLine()
            afterCarriageReturn = false
        default:
            column += 1
            afterCarriageReturn = false
        }
    }

    private mutating func newLine() {
        line += 1
        column = 1
    }
}
