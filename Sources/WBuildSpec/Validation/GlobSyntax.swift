import WBuildPatterns

/// The glob syntax wbuild's pattern compiler accepts, checked while the project file is read so a
/// malformed pattern is a diagnostic at its line, column and key path instead of a positionless
/// error later (or, for `watch.ignore`, every ignore silently dropped).
///
/// The rules are `WBuildPatterns.GlobCompiler`'s, the one compiler `Glob` and `IgnoreRule`
/// (WBuildFiles) use too; this adds only how each key's text reaches it (the trimming, cleaning
/// and `!` of an ignore line; the dropped `.` components of a live-update pattern).
/// `GlobSyntaxAgreementTests` (WBuildWorkloadsTests) checks that the loader and WBuildFiles
/// still accept and reject the same patterns.
enum GlobSyntax {
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
    static func fault(in pattern: String, dialect: GlobDialect) -> Fault? {
        do throws(PatternError) {
            _ = try GlobCompiler(pattern: pattern, dialect: dialect).compile()
            return nil
        } catch {
            return Fault(reason: error.reason, pattern: pattern, offset: error.position)
        }
    }

    /// The first fault of `line` as a `.dockerignore`-style rule (`watch.ignore`, a task's
    /// `ignore` and `outputs`): trimmed, cleaned as Go's `filepath.Clean` does, a leading `!`
    /// taken as an exception, the rest a `.docker` glob. Blank lines are skipped, as the rules do.
    static func ignoreRuleFault(_ line: String) -> Fault? {
        let trimmed = PathCleaning.trimmingWhitespace(line)
        if trimmed.isEmpty { return nil }
        var text = PathCleaning.clean(trimmed)
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
}
