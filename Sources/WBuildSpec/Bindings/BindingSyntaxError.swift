/// A string whose `${…}` is not a well-formed binding.
public struct BindingSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, saying what was expected.
    public var message: String
    /// What to do about it.
    public var hint: String?
    /// Offset of the offending `$`, in Unicode scalars from the start of the string.
    public var offset: Int

    public init(message: String, hint: String? = nil, offset: Int) {
        self.message = message
        self.hint = hint
        self.offset = offset
    }

    public var description: String {
        hint.map { "\(message) — \($0)" } ?? message
    }
}

/// Bindings a `render` could not resolve.
public struct UnresolvedBindingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Each unresolved reference, once, in the order it first appears.
    public var references: [BindingReference]

    public init(references: [BindingReference]) {
        self.references = references
    }

    public var description: String {
        "unresolved binding" + (references.count == 1 ? " " : "s ")
            + references.map(\.description).joined(separator: ", ")
    }
}
