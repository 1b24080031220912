/// Lists of patterns (`inputs`, `outputs`, `ignore`, `watch.ignore`, `fallBackOn`, `trigger`),
/// each pattern checked with the syntax of the code that will compile it.
extension SpecDecoder {
    /// How a key's patterns are compiled later, which decides what is malformed.
    enum PatternKind {
        /// A task's `inputs`: standard globs.
        case inputGlob
        /// `watch.ignore` and a task's `ignore`: `.dockerignore`-style rules.
        case ignoreRule
        /// A task's `outputs`: standard globs (to hash them) and ignore rules (excluded from its inputs).
        case output
        /// `liveUpdate.fallBackOn` and `run[].trigger`: standard globs after dropping `.` components.
        case liveUpdateGlob
    }

    /// An array of non-empty strings, each a well-formed pattern of `kind`; every malformed one
    /// is reported at its own line, column and key path. Positions are kept in `locations`.
    func patternList(_ node: SpecNode, as kind: PatternKind) -> [String]? {
        guard let entries = stringListNodes(node) else { return nil }
        for entry in entries {
            locate(entry.node)
            if let fault = Self.patternFault(entry.text, kind) {
                report(fault.message, at: entry.node,
                       hint: "close the bracket, or escape `[`, `]`, `*`, `?` and `\\` with `\\` to match them literally")
            }
        }
        return entries.map(\.text)
    }

    static func patternFault(_ pattern: String, _ kind: PatternKind) -> GlobSyntax.Fault? {
        switch kind {
        case .inputGlob: return GlobSyntax.fault(in: pattern, dialect: .standard)
        case .ignoreRule: return GlobSyntax.ignoreRuleFault(pattern)
        case .output: return GlobSyntax.fault(in: pattern, dialect: .standard) ?? GlobSyntax.ignoreRuleFault(pattern)
        case .liveUpdateGlob: return GlobSyntax.liveUpdateFault(pattern)
        }
    }
}
