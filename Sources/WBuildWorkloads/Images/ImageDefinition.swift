#if canImport(Glibc)
import Glibc
#endif
import WBuildSpec

/// One workload's image build as the graph runs it: where its context and Dockerfile are,
/// with which arguments, and how to name the result.
public struct ImageDefinition: Sendable, Equatable {
    public var project: String
    public var workload: String
    /// Absolute path of the build context.
    public var contextDirectory: String
    /// Absolute path of the Dockerfile (inside the context or not).
    public var dockerfile: String
    public var buildArgs: [String: String]
    /// `build.secretArgs`, read when the image is evaluated (see `SecretResolver`).
    public var secretArgs: [SecretSpec]
    /// Absolute path of the project root: secret files are relative to it, and the Dockerfile
    /// must stay inside it (re-checked before each read: it may have become a symlink pointing
    /// out since the graph was made).
    public var projectRoot: String
    public var target: String?
    /// How many of this workload's wbuild images to keep when pruning.
    public var keep: Int

    public init(project: String, workload: String, contextDirectory: String, dockerfile: String,
                buildArgs: [String: String], secretArgs: [SecretSpec] = [], projectRoot: String = "/", target: String?, keep: Int) {
        self.project = project
        self.workload = workload
        self.contextDirectory = contextDirectory
        self.dockerfile = dockerfile
        self.buildArgs = buildArgs
        self.secretArgs = secretArgs
        self.projectRoot = projectRoot
        self.target = target
        self.keep = keep
    }

    /// The Dockerfile's path relative to the context, when it lies inside it.
    var dockerfileInContext: String? {
        let prefix = contextDirectory.hasSuffix("/") ? contextDirectory : contextDirectory + "/"
        return dockerfile.hasPrefix(prefix) ? String(dockerfile.dropFirst(prefix.count)) : nil
    }

    /// The Dockerfile's path relative to the project root (absolute when outside it or unknown).
    var dockerfileForDisplay: String {
        guard !projectRoot.isEmpty else { return dockerfile }
        let root = projectRoot
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return dockerfile.hasPrefix(prefix) ? String(dockerfile.dropFirst(prefix.count)) : dockerfile
    }

    /// The Dockerfile's path inside the context after resolving symlinks in both, as the docker
    /// CLI names it to the engine (a `Dockerfile` symlink to `build/app.Dockerfile` is built as
    /// `build/app.Dockerfile`); nil when it resolves outside the context or does not resolve.
    func resolvedDockerfileInContext() -> String? {
        guard let context = Self.realPath(contextDirectory), let file = Self.realPath(dockerfile) else { return nil }
        let prefix = context == "/" ? "/" : context + "/"
        return file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : nil
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `wbuild/<project>-<workload>`.
    var repository: String { "wbuild/\(project)-\(workload)" }

    /// Labels on every image wbuild builds, so pruning never touches anything else.
    func labels(fingerprint: String) -> [String: String] {
        ["dev.wbuild.project": project, "dev.wbuild.workload": workload, "dev.wbuild.fingerprint": fingerprint]
    }
}
