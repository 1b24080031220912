/// The glob syntax wbuild's pattern compiler (`GlobCompiler` and `IgnoreRule` in WBuildFiles)
/// accepts, checked while the project file is read so a malformed pattern is a diagnostic at its
/// line, column and key path instead of a positionless error later (or, for `watch.ignore`, every
/// ignore silently dropped).
///
/// WBuildSpec depends on no other module, so this mirrors the compiler's rules rather than
/// calling it; `GlobSyntaxAgreementTests` (WBuildWorkloadsTests) feeds both the same random
/// patterns and fails when they disagree.
enum GlobSyntax {
    /// The two dialects of `GlobDialect`: `[!x]` negates only in `.standard`.
    enum Dialect {
        case standard
        case docker
    }

    /// Why a pattern is malformed, and where: `offset` counts Unicode scalars of `pattern`.
    struct Fault: Equatable {
        let reason: String
        let pattern: String
        let offset: Int

        /// `unclosed '[' at character 5 of "src/[a"`.
        var message: String {
            "malformed glob: \(reason) at character \(offset + 1) of \"\(SpecDecoder.shortened(pattern))\""
        }
    }

    /// The first fault of `pattern` as a glob of `dialect`, or nil when it compiles.
    static func fault(in pattern: String, dialect: Dialect) -> Fault? {
        let scalars = Array(pattern.unicodeScalars)
        var index = 0
        while index < scalars.count {
            switch scalars[index] {
            case "[":
                switch classEnd(scalars, openingAt: index, dialect: dialect) {
                case .success(let next): index = next
                case .failure(let fault): return Fault(reason: fault.reason, pattern: pattern, offset: fault.offset)
                }
                continue
            case "\\":
                guard index + 1 < scalars.count else {
                    return Fault(reason: "trailing backslash escapes nothing", pattern: pattern, offset: index)
                }
                index += 1
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// The first fault of `line` as a `.dockerignore`-style rule (`watch.ignore`, a task's
    /// `ignore` and `outputs`): trimmed, cleaned as Go's `filepath.Clean` does, a leading `!`
    /// taken as an exception, the rest a `.docker` glob. Blank lines are skipped, as the rules do.
    static func ignoreRuleFault(_ line: String) -> Fault? {
        let trimmed = trimmingWhitespace(line)
        if trimmed.isEmpty { return nil }
        var text = cleaned(trimmed)
        if text.hasPrefix("!") {
            guard text.count > 1 else {
                return Fault(reason: "`!` alone re-includes nothing", pattern: line, offset: 0)
            }
            text.removeFirst()
        }
        return fault(in: text, dialect: .docker)
    }

    /// The first fault of a live-update pattern (`fallBackOn`, `run[].trigger`), which is
    /// compiled after dropping empty and `.` components.
    static func liveUpdateFault(_ pattern: String) -> Fault? {
        let text = pattern.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
            .joined(separator: "/")
        return fault(in: text, dialect: .standard)
    }

    private struct ClassFault: Error {
        let reason: String
        let offset: Int
    }

    /// The index after the `]` closing the class opened at `start`, or why it is malformed.
    private static func classEnd(_ scalars: [Unicode.Scalar], openingAt start: Int, dialect: Dialect) -> Result<Int, ClassFault> {
        var index = start + 1
        if index < scalars.count, scalars[index] == "^" || (dialect == .standard && scalars[index] == "!") {
            index += 1
        }
        let unclosed = ClassFault(reason: "unclosed '['", offset: start)
        var memberCount = 0
        func readMember() -> ClassFault? {
            guard index < scalars.count else { return unclosed }
            let scalar = scalars[index]
            if scalar == "\\" {
                index += 1
                guard index < scalars.count else { return unclosed }
            } else if scalar == "-" || scalar == "]" {
                return ClassFault(reason: "'\(scalar)' must be escaped here in a character class", offset: index)
            }
            index += 1
            return nil
        }
        while true {
            guard index < scalars.count else { return .failure(unclosed) }
            if scalars[index] == "]" {
                guard memberCount > 0 else { return .failure(ClassFault(reason: "empty character class", offset: start)) }
                return .success(index + 1)
            }
            if let fault = readMember() { return .failure(fault) }
            if index < scalars.count, scalars[index] == "-" {
                index += 1
                if let fault = readMember() { return .failure(fault) }
            }
            memberCount += 1
        }
    }

    /// Go's `filepath.Clean`, as `PathCleaning` does it for ignore rules.
    private static func cleaned(_ path: String) -> String {
        if path.isEmpty { return "." }
        let rooted = path.hasPrefix("/")
        var components: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." {
                if let last = components.last, last != ".." {
                    components.removeLast()
                } else if !rooted {
                    components.append(component)
                }
                continue
            }
            components.append(component)
        }
        let joined = components.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// Trims what `IgnoreRule` trims: spaces, tabs, CR, LF, VT and FF (as `Character`s).
    private static func trimmingWhitespace(_ text: String) -> String {
        let isSpace: (Character) -> Bool = {
            $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\u{0B}" || $0 == "\u{0C}"
        }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(text[first...last])
    }
}
