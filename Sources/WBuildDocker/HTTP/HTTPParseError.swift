/// Why bytes from the engine could not be read as HTTP, a chunked body, a stream frame or JSON lines.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
