/// The files a source node stands for: everything under `root` that an include glob covers
/// (all of it when there are none), minus what the ignore rules and `DefaultIgnores` drop.
///
/// A `.dockerContext` set is instead exactly what the docker CLI sends as a build context.
///
/// Paths given to and returned by a source set are relative to `root`, `/`-separated.
public struct SourceSet: Sendable, Equatable {
    /// What the set is for, which decides how its rules apply.
    public enum Purpose: Sendable, Equatable {
        /// Task inputs and outputs: includes, then ignore rules, then `DefaultIgnores` (when
        /// `usesDefaultIgnores`); directories are implied by the files' paths.
        case files
        /// A Docker build context: only `.dockerignore` decides (with the CLI's walk, see
        /// `IgnoreRules.contextVerdict`), so editor temporaries and `.git` are sent as docker
        /// sends them; directories are entries (empty ones and their modes reach the image).
        /// The one exception is wbuild's own state directory `.wbuild`, which changes on every
        /// run and would change the context with it.
        case dockerContext
    }

    /// Absolute (or working-directory-relative) path of the directory the set is rooted at.
    public var root: String
    /// Include globs; a glob naming a directory covers everything beneath it. Empty: everything.
    public var includes: [Glob]
    /// `.dockerignore`-style rules applied after the includes.
    public var ignoreRules: IgnoreRules
    /// Whether `DefaultIgnores` (`.git`, `.wbuild`, editor temporaries) apply to a `.files` set.
    /// On by default.
    public var usesDefaultIgnores: Bool
    public var purpose: Purpose

    public init(root: String, includes: [Glob] = [], ignoreRules: IgnoreRules = .none, usesDefaultIgnores: Bool = true) {
        self.root = root
        self.includes = includes
        self.ignoreRules = ignoreRules
        self.usesDefaultIgnores = usesDefaultIgnores
        self.purpose = .files
    }

    /// A Docker build context at `root` with the rules of its `.dockerignore`.
    public static func buildContext(root: String, ignoreRules: IgnoreRules) -> SourceSet {
        var set = SourceSet(root: root, ignoreRules: ignoreRules, usesDefaultIgnores: false)
        set.purpose = .dockerContext
        return set
    }

    /// Whether directories are entries of this set's snapshots.
    public var recordsDirectories: Bool { purpose == .dockerContext }

    /// A build context's walk verdict for a child `name` at `relativePath` of a directory whose
    /// match is `parent`; `.skipped` for wbuild's state directory.
    func contextVerdict(_ relativePath: String, name: String, isDirectory: Bool, parent: ContextMatch) -> ContextVerdict {
        if isDirectory, name == ".wbuild" { return .skipped }
        return ignoreRules.contextVerdict(relativePath, isDirectory: isDirectory, parent: parent)
    }

    /// A build context's verdict for a path found on its own (a rescan or a watcher event).
    func contextVerdict(ofPath relativePath: String, isDirectory: Bool) -> ContextVerdict {
        if DefaultIgnores.isStateDirectory(inPath: relativePath, isDirectory: isDirectory) { return .skipped }
        return ignoreRules.contextVerdict(ofPath: relativePath, isDirectory: isDirectory)
    }

    /// Compiles include pattern strings (standard glob dialect).
    public init(root: String, includePatterns: [String], ignoreRules: IgnoreRules = .none,
                usesDefaultIgnores: Bool = true) throws(FilesError) {
        var globs: [Glob] = []
        for pattern in includePatterns { globs.append(try Glob(pattern)) }
        self.init(root: root, includes: globs, ignoreRules: ignoreRules, usesDefaultIgnores: usesDefaultIgnores)
    }

    /// A Docker build context: what the docker CLI sends from `root`, after `root/.dockerignore`
    /// (if present).
    public static func dockerContext(root: String) throws(FilesError) -> SourceSet {
        let file = root.hasSuffix("/") ? root + ".dockerignore" : root + "/.dockerignore"
        return buildContext(root: root, ignoreRules: try IgnoreRules.load(file: file))
    }

    /// Whether the file (or symlink) at `relativePath` belongs to the set.
    public func contains(_ relativePath: String) -> Bool {
        if purpose == .dockerContext {
            if case .sent = contextVerdict(ofPath: relativePath, isDirectory: false) { return true }
            return false
        }
        return withBytes(relativePath) { contains(bytes: $0, name: String(Self.lastComponent(relativePath))) }
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
        if purpose == .dockerContext { return contextVerdict(ofPath: relativePath, isDirectory: true) != .skipped }
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
