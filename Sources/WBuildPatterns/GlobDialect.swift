/// Which flavour of glob syntax a pattern follows; they differ only in corner cases.
public enum GlobDialect: Sendable, Equatable {
    /// Input-set globs: `[!x]` and `[^x]` both negate; classes never match `/`.
    case standard
    /// `.dockerignore` patterns as moby's `patternmatcher` reads them: only `[^x]` negates
    /// (`[!x]` is the set `!`,`x`), and a negated class may match `/` (it is a regexp class there).
    case docker
}
