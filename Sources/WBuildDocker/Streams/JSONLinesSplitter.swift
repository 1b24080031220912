/// Splits a stream of newline-separated JSON objects (build, pull, push progress and events),
/// fed in arbitrary pieces, into whole lines. `\r\n` endings and blank lines are dropped.
public struct JSONLinesSplitter: Sendable {
    private var partial: [UInt8] = []
    /// Longest line accepted, so a peer that never sends a newline cannot exhaust memory.
    static let maximumLineLength = 64 * 1024 * 1024

    public init() {}

    /// Consumes `bytes` and returns every complete, non-blank line (without its line ending).
    public mutating func feed<C: Collection<UInt8>>(_ bytes: C) throws(HTTPParseError) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if let line = Self.trimmed(partial) { lines.append(line) }
                partial.removeAll(keepingCapacity: true)
            } else {
                partial.append(byte)
                guard partial.count <= Self.maximumLineLength else {
                    throw HTTPParseError("JSON lines: a line is longer than \(Self.maximumLineLength) bytes")
                }
            }
        }
        return lines
    }

    /// Returns the last line when the stream ended without a final newline.
    public mutating func finish() -> [[UInt8]] {
        defer { partial.removeAll() }
        return Self.trimmed(partial).map { [$0] } ?? []
    }

    private static func trimmed(_ line: [UInt8]) -> [UInt8]? {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        guard let first = line.firstIndex(where: { !isSpace($0) }),
              let last = line.lastIndex(where: { !isSpace($0) }) else { return nil }
        return Array(line[first...last])
    }
}
