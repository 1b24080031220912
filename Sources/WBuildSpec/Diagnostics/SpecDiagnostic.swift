/// One problem with a project file: where (file, key path, line, column), what, and what to do.
///
/// `description` reads
/// `wbuild.json:12:7: workloads.api.ports[0].container: expected an integer 1–65535, got "eighty" — hint`.
public struct SpecDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// The project file, as the caller named it.
    public var file: String
    /// Where in the document, e.g. `workloads.api.ports[0].container`; empty for the file as a whole.
    public var keyPath: String
    /// 1-based line; 0 when the problem is with the file as a whole (missing, unreadable).
    public var line: Int
    /// 1-based column in characters; 0 when the problem is with the file as a whole.
    public var column: Int
    /// What is wrong, saying what was expected.
    public var message: String
    /// What to do about it, when we know.
    public var hint: String?

    public init(file: String, keyPath: String, line: Int, column: Int, message: String, hint: String? = nil) {
        self.file = file
        self.keyPath = keyPath
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }

    public var description: String {
        var text = file
        if line > 0 { text += ":\(line):\(column)" }
        text += ": "
        if !keyPath.isEmpty { text += keyPath + ": " }
        text += message
        if let hint { text += " — " + hint }
        return text
    }
}
