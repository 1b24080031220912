/// Turns a response body, fed in pieces, into typed elements (progress messages, log lines, events).
/// Runs on the transport's thread; each request gets its own decoder value.
protocol StreamDecoder: Sendable {
    associatedtype Element: Sendable
    mutating func decode(_ bytes: [UInt8]) throws -> [Element]
    /// Called once at the end of the body.
    mutating func finish() throws -> [Element]
}

/// Decodes newline-separated JSON objects into `Value`s.
struct JSONLinesDecoder<Value: Decodable & Sendable>: StreamDecoder {
    private var splitter = JSONLinesSplitter()

    mutating func decode(_ bytes: [UInt8]) throws -> [Value] {
        try splitter.feed(bytes).map(Self.decodeLine)
    }

    mutating func finish() throws -> [Value] {
        try splitter.finish().map(Self.decodeLine)
    }

    private static func decodeLine(_ line: [UInt8]) throws -> Value {
        do {
            return try JSONCoding.decode(Value.self, from: line)
        } catch {
            throw HTTPParseError("JSON lines: cannot decode \(String(decoding: line.prefix(200), as: UTF8.self)): \(error)")
        }
    }
}
