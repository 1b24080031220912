/// Where values were written in the project file, by key path (`tasks.web.outputs[0]`), so a
/// check made after loading — a cycle through task outputs, a path that leaves the project —
/// can point at the line and column that causes it, like the loader's own diagnostics.
///
/// Positions are not part of what a spec means: two specs that differ only in layout are equal.
public struct SpecLocations: Sendable, Equatable {
    /// The project file, as the loader was given it.
    public let file: String
    private let positions: [String: SourcePosition]

    public init(file: String = "", positions: [String: SourcePosition] = [:]) {
        self.file = file
        self.positions = positions
    }

    /// Where the value at `keyPath` starts, when the loader recorded it.
    public func position(of keyPath: String) -> SourcePosition? {
        positions[keyPath]
    }

    /// A diagnostic at `keyPath`: with its line and column when known, else for the file as a whole.
    public func diagnostic(at keyPath: String, _ message: String, hint: String? = nil) -> SpecDiagnostic {
        let position = positions[keyPath]
        return SpecDiagnostic(file: file, keyPath: keyPath, line: position?.line ?? 0, column: position?.column ?? 0,
                              message: message, hint: hint)
    }

    /// Always true: layout is not meaning.
    public static func == (lhs: SpecLocations, rhs: SpecLocations) -> Bool { true }
}
