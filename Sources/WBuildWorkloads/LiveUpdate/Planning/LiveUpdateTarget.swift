import WBuildFiles

/// Where a workload's files come from, as the planner needs it: the project root (to turn
/// project-relative paths into host paths) and, for a built image, its build context and
/// Dockerfile (to tell a change the image needs from one nobody ships).
public struct LiveUpdateTarget: Sendable, Equatable {
    /// Absolute path of the project root on the host.
    public var projectRoot: String
    /// The build context, project-relative; nil for a pulled image (no context to drift from).
    public var buildContext: String?
    /// The Dockerfile, project-relative; a change to it always rebuilds.
    public var dockerfile: String?
    /// The context's `.dockerignore` rules, relative to the context: ignored files are not in the
    /// image, so changing one neither syncs nor rebuilds.
    public var contextIgnores: IgnoreRules

    public init(projectRoot: String, buildContext: String? = nil, dockerfile: String? = nil,
                contextIgnores: IgnoreRules = .none) {
        self.projectRoot = projectRoot
        self.buildContext = buildContext.map(ProjectPath.clean)
        self.dockerfile = dockerfile.map(ProjectPath.clean)
        self.contextIgnores = contextIgnores
    }

    /// The host path of a project-relative path.
    func hostPath(_ projectPath: String) -> String {
        ProjectPath.join(projectRoot, projectPath)
    }

    /// Whether `path` is part of what the image was built from.
    func isInBuildContext(_ path: String) -> Bool {
        guard let buildContext, let inside = ProjectPath.relative(path, below: buildContext) else { return false }
        return inside.isEmpty || !contextIgnores.isIgnored(inside)
    }
}
