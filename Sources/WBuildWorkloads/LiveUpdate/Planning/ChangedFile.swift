/// One path the watcher saw change, as the planner needs it: where it is in the project.
/// `exists` is what the caller saw when the batch closed; the planner does not use it, and the
/// sync never trusts it: what to do with a path is decided from the host when it is applied.
public struct ChangedFile: Sendable, Hashable {
    /// Project-relative, `/`-separated, no leading `./`.
    public var path: String
    /// Whether the path existed when the batch closed (informational only).
    public var exists: Bool

    public init(path: String, exists: Bool = true) {
        self.path = ProjectPath.clean(path)
        self.exists = exists
    }
}
