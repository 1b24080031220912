/// The files a source node stands for: everything under `root` that an include glob covers
/// (all of it when there are none), minus what the ignore rules and `DefaultIgnores` drop.
///
/// Paths given to and returned by a source set are relative to `root`, `/`-separated.
public struct SourceSet: Sendable, Equatable {
    /// Absolute (or working-directory-relative) path of the directory the set is rooted at.
    public var root: String
    /// Include globs; a glob naming a directory covers everything beneath it. Empty: everything.
    public var includes: [Glob]
    /// `.dockerignore`-style rules applied after the includes.
    public var ignoreRules: IgnoreRules
    /// Whether `DefaultIgnores` (`.git`, `.wbuild`, editor temporaries) apply. On by default.
    public var usesDefaultIgnores: Bool

    public init(root: String, includes: [Glob] = [], ignoreRules: IgnoreRules = .none, usesDefaultIgnores: Bool = true) {
        self.root = root
        self.includes = includes
        self.ignoreRules = ignoreRules
        self.usesDefaultIgnores = usesDefaultIgnores
    }

    /// Compiles include pattern strings (standard glob dialect).
    public init(root: String, includePatterns: [String], ignoreRules: IgnoreRules = .none,
                usesDefaultIgnores: Bool = true) throws(FilesError) {
        var globs: [Glob] = []
        for pattern in includePatterns { globs.append(try Glob(pattern)) }
        self.init(root: root, includes: globs, ignoreRules: ignoreRules, usesDefaultIgnores: usesDefaultIgnores)
    }

    /// A Docker build context: everything under `root`, minus what `root/.dockerignore`
    /// (if present) and the default ignores exclude.
    public static func dockerContext(root: String) throws(FilesError) -> SourceSet {
        let file = root.hasSuffix("/") ? root + ".dockerignore" : root + "/.dockerignore"
        return SourceSet(root: root, ignoreRules: try IgnoreRules.load(file: file))
    }

    /// Whether the file (or symlink) at `relativePath` belongs to the set.
    public func contains(_ relativePath: String) -> Bool {
        withBytes(relativePath) { contains(bytes: $0, name: String(Self.lastComponent(relativePath))) }
    }

    /// Whether a walker must look inside `directory` (relative path, `""` for the root):
    /// false when the directory is ignored beyond any `!` exception or no include reaches it.
    public func mayContain(directory relativePath: String) -> Bool {
        mayContain(directory: relativePath, ancestorsChecked: false)
    }

    /// `mayContain(directory:)`; with `ancestorsChecked`, the caller has already admitted
    /// every parent directory, so only the last name needs the default-ignore check.
    func mayContain(directory relativePath: String, ancestorsChecked: Bool) -> Bool {
        if relativePath.isEmpty || relativePath == "." { return true }
        if usesDefaultIgnores {
            let ignored = ancestorsChecked
                ? DefaultIgnores.isIgnored(name: String(Self.lastComponent(relativePath)), isDirectory: true)
                : DefaultIgnores.isIgnored(relativePath: relativePath, isDirectory: true)
            if ignored { return false }
        }
        if ignoreRules.canPruneDirectory(relativePath) { return false }
        if includes.isEmpty { return true }
        return includes.contains { $0.matchesOrContains(relativePath) || $0.couldMatchBeneath(directory: relativePath) }
    }

    /// `contains` for a path whose ancestors the caller has already admitted with
    /// `mayContain(directory:)`, so only the last component needs the default-ignore check.
    func contains(bytes: UnsafeBufferPointer<UInt8>, name: String, ancestorsChecked: Bool = false) -> Bool {
        if usesDefaultIgnores {
            if ancestorsChecked {
                if DefaultIgnores.isIgnored(name: name, isDirectory: false) { return false }
            } else if DefaultIgnores.isIgnored(relativePath: String(decoding: bytes, as: UTF8.self), isDirectory: false) {
                return false
            }
        }
        if !includes.isEmpty, !includes.contains(where: { $0.matchesOrContains(bytes: bytes) }) { return false }
        return !ignoreRules.isIgnored(bytes: bytes)
    }

    static func lastComponent(_ path: String) -> Substring {
        guard let slash = path.lastIndex(of: "/") else { return Substring(path) }
        return path[path.index(after: slash)...]
    }
}
