/// A value read from a JSON5 document, with where it starts in the file.
///
/// Objects keep their members in the order the file declares them, so whatever is
/// built from them (workloads, env) keeps declaration order too.
public struct JSONValue: Sendable, Equatable {
    /// What kind of value this is, with its contents.
    public enum Kind: Sendable, Equatable {
        case null
        case bool(Bool)
        case number(JSONNumber)
        case string(String)
        case array([JSONValue])
        case object([JSONMember])
    }

    public var kind: Kind
    /// Where the value starts: its first character (the quote, the `{`, the sign…).
    public var location: SourcePosition

    public init(_ kind: Kind, at location: SourcePosition) {
        self.kind = kind
        self.location = location
    }

    /// The member named `key`, when this is an object that has one.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = kind else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The element at `index`, when this is an array long enough.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = kind, elements.indices.contains(index) else { return nil }
        return elements[index]
    }
}

/// One `key: value` member of a JSON object, with where its key is written.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var keyLocation: SourcePosition
    public var value: JSONValue

    public init(key: String, keyLocation: SourcePosition, value: JSONValue) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
    }
}

/// A finite number from a JSON5 document, with the text it was written as.
public struct JSONNumber: Sendable, Equatable {
    public var value: Double
    /// The number as written in the file (`0x1F`, `.5`, `+3`), for messages.
    public var literal: String

    public init(value: Double, literal: String) {
        self.value = value
        self.literal = literal
    }

    /// The value as an `Int` when it is a whole number that fits, else nil.
    public var integerValue: Int? { Int(exactly: value) }
}
