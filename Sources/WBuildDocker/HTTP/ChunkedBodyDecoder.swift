/// Decodes a `Transfer-Encoding: chunked` body fed in arbitrary pieces: chunk sizes in hex,
/// chunk extensions (`;name=value`, ignored), data, and trailer fields after the last chunk.
///
/// A value state machine: `feed` consumes bytes and returns the data it could decode; after the
/// terminating `0` chunk and its trailers, `isComplete` is true and the rest of the input is left
/// unconsumed (it belongs to the next response on the connection).
public struct ChunkedBodyDecoder: Sendable {
    enum State: Sendable, Equatable {
        case sizeLine
        case data(remaining: Int)
        case dataEnd(sawCR: Bool)
        case trailerLine
        case complete
    }

    private(set) var state: State = .sizeLine
    private var line: [UInt8] = []
    /// Trailer fields sent after the last chunk.
    public private(set) var trailers = HTTPHeaders()

    /// Longest size or trailer line accepted, so a broken peer cannot grow the buffer without bound.
    static let maximumLineLength = 16 * 1024

    public init() {}

    public var isComplete: Bool { state == .complete }

    /// Decodes as much of `bytes` as possible; returns the body data found and how many bytes were consumed.
    public mutating func feed(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> (data: [UInt8], consumed: Int) {
        var data: [UInt8] = []
        var index = bytes.startIndex
        while index < bytes.endIndex, state != .complete {
            switch state {
            case .sizeLine, .trailerLine:
                let byte = bytes[index]
                index += 1
                if byte == UInt8(ascii: "\n") {
                    try finishLine()
                } else {
                    guard line.count < Self.maximumLineLength else {
                        throw HTTPParseError("chunked body: line longer than \(Self.maximumLineLength) bytes")
                    }
                    line.append(byte)
                }
            case .data(let remaining):
                let take = min(remaining, bytes.endIndex - index)
                data.append(contentsOf: bytes[index..<(index + take)])
                index += take
                state = remaining - take == 0 ? .dataEnd(sawCR: false) : .data(remaining: remaining - take)
            case .dataEnd(let sawCR):
                let byte = bytes[index]
                index += 1
                if byte == UInt8(ascii: "\r"), !sawCR {
                    state = .dataEnd(sawCR: true)
                } else if byte == UInt8(ascii: "\n") {
                    state = .sizeLine
                } else {
                    throw HTTPParseError("chunked body: expected CRLF after chunk data, got byte \(byte)")
                }
            case .complete:
                break
            }
        }
        return (data, index - bytes.startIndex)
    }

    private mutating func finishLine() throws(HTTPParseError) {
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        defer { line.removeAll(keepingCapacity: true) }
        if state == .trailerLine {
            if line.isEmpty {
                state = .complete
            } else if let field = HTTPResponseParser.parseField(line) {
                trailers.add(field.name, field.value)
            } else {
                throw HTTPParseError("chunked body: malformed trailer field")
            }
            return
        }
        let sizeText = line.prefix { $0 != UInt8(ascii: ";") }
        let text = String(decoding: sizeText, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.count <= 15, let size = Int(text, radix: 16), size >= 0 else {
            throw HTTPParseError("chunked body: bad chunk size line \"\(String(decoding: line, as: UTF8.self))\"")
        }
        state = size == 0 ? .trailerLine : .data(remaining: size)
    }
}
