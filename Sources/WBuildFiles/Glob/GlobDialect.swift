import WBuildPatterns

/// Which flavour of glob syntax a pattern follows (`WBuildPatterns.GlobDialect`, named here so
/// callers of `Glob` need not import WBuildPatterns).
public typealias GlobDialect = WBuildPatterns.GlobDialect
