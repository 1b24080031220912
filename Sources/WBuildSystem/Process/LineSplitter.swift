/// Turns a byte stream into lines: a value state machine fed with whatever `read(2)`
/// returned, so it can be tested at every split point without a process.
///
/// - A line ends at "\n"; a "\r" before it is dropped.
/// - A line longer than `maximumLineBytes` is cut into pieces of at most that many bytes,
///   at a UTF-8 character boundary where one is near.
/// - Invalid UTF-8 becomes U+FFFD; it never traps.
/// - `finish()` returns the last line when the stream ended without "\n".
public struct LineSplitter: Sendable {
    /// The longest line delivered in one piece.
    public let maximumLineBytes: Int
    private var pending: [UInt8] = []

    public init(maximumLineBytes: Int = 64 * 1024) {
        self.maximumLineBytes = max(4, maximumLineBytes)
    }

    /// Feeds `bytes`; returns the lines they completed, in order.
    public mutating func append(_ bytes: some Collection<UInt8>) -> [String] {
        var lines: [String] = []
        var rest = bytes[...]
        while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            pending.append(contentsOf: rest[rest.startIndex..<newline])
            cutOversizedPieces(into: &lines)
            lines.append(Self.decode(pending, droppingCarriageReturn: true))
            pending.removeAll(keepingCapacity: true)
            rest = rest[rest.index(after: newline)...]
        }
        pending.append(contentsOf: rest)
        cutOversizedPieces(into: &lines)
        return lines
    }

    /// Ends the stream: returns the unterminated last line, if any bytes are left.
    public mutating func finish() -> String? {
        guard !pending.isEmpty else { return nil }
        defer { pending.removeAll() }
        return Self.decode(pending, droppingCarriageReturn: false)
    }

    /// While more than a full line is pending, cut a piece off its front.
    private mutating func cutOversizedPieces(into lines: inout [String]) {
        while pending.count > maximumLineBytes {
            let cut = Self.characterBoundary(in: pending, atOrBefore: maximumLineBytes)
            lines.append(Self.decode(pending[..<cut], droppingCarriageReturn: false))
            pending.removeFirst(cut)
        }
    }

    /// `limit`, moved back over UTF-8 continuation bytes (at most 3) so a character
    /// is not split; `limit` itself when the bytes are not valid UTF-8 anyway.
    static func characterBoundary(in bytes: [UInt8], atOrBefore limit: Int) -> Int {
        var cut = limit
        while cut > limit - 3, cut > 1, bytes[cut] & 0b1100_0000 == 0b1000_0000 {
            cut -= 1
        }
        return bytes[cut] & 0b1100_0000 == 0b1000_0000 ? limit : cut
    }

    private static func decode(_ bytes: some BidirectionalCollection<UInt8>, droppingCarriageReturn: Bool) -> String {
        if droppingCarriageReturn, bytes.last == UInt8(ascii: "\r") {
            return String(decoding: bytes.dropLast(), as: UTF8.self)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
