/// A project file that cannot be used: every problem found in it, in file order.
///
/// `description` prints one diagnostic per line, ready for a terminal.
public struct SpecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// At least one diagnostic.
    public var diagnostics: [SpecDiagnostic]

    public init(diagnostics: [SpecDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public init(_ diagnostic: SpecDiagnostic) {
        self.diagnostics = [diagnostic]
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
