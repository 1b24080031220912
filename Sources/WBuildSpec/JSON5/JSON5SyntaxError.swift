/// A JSON5 document that cannot be read: where, and what was expected there.
///
/// `description` reads `file:line:column: message`.
public struct JSON5SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var location: SourcePosition
    public var message: String

    public init(file: String, location: SourcePosition, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String { "\(file):\(location.line):\(location.column): \(message)" }
}
