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

    /// `wbuild/<project>-<workload>`.
    var repository: String { "wbuild/\(project)-\(workload)" }

    /// Labels on every image wbuild builds, so pruning never touches anything else.
    func labels(fingerprint: String) -> [String: String] {
        ["dev.wbuild.project": project, "dev.wbuild.workload": workload, "dev.wbuild.fingerprint": fingerprint]
    }
}
