/// Reads JSON5 documents (JSON plus comments, trailing commas, unquoted keys,
/// single-quoted strings, hex numbers, `.5`/`5.`, `+1`, line continuations) into
/// `JSONValue` trees that remember where each value was written.
///
/// It never traps on any input: invalid UTF-8, hostile nesting (bounded by
/// `maximumDepth`), duplicate keys, `Infinity`/`NaN` and every other mistake
/// become a `JSON5SyntaxError` that says where and what was expected.
public struct JSON5Parser: Sendable {
    /// The nesting limit used unless told otherwise.
    public static let defaultMaximumDepth = 256

    /// The file name errors name.
    public var fileName: String
    /// How many arrays/objects may nest; deeper input is an error, not a stack overflow.
    public var maximumDepth: Int

    public init(fileName: String = "<input>", maximumDepth: Int = JSON5Parser.defaultMaximumDepth) {
        self.fileName = fileName
        self.maximumDepth = maximumDepth
    }

    /// Parses UTF-8 bytes. Invalid UTF-8 is an error naming the line and column it starts at.
    public func parse(_ bytes: [UInt8]) throws(JSON5SyntaxError) -> JSONValue {
        let scalars = try decodeUTF8(bytes)
        var reader = JSON5Reader(scalars: scalars, fileName: fileName, maximumDepth: maximumDepth)
        return try reader.readDocument()
    }

    /// Parses text.
    public func parse(_ text: String) throws(JSON5SyntaxError) -> JSONValue {
        var reader = JSON5Reader(scalars: Array(text.unicodeScalars), fileName: fileName, maximumDepth: maximumDepth)
        return try reader.readDocument()
    }

    private func decodeUTF8(_ bytes: [UInt8]) throws(JSON5SyntaxError) -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var counter = LineCounter()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                scalars.append(scalar)
                counter.consume(scalar)
            case .emptyInput:
                return scalars
            case .error:
                throw JSON5SyntaxError(
                    file: fileName, location: counter.location,
                    message: "the file is not valid UTF-8 (an invalid byte sequence starts here); save it as UTF-8")
            }
        }
    }
}
