/// One file the watcher saw change, as the planner needs it: where it is in the project and
/// whether it still exists (false for a deleted file or directory).
public struct ChangedFile: Sendable, Hashable {
    /// Project-relative, `/`-separated, no leading `./`.
    public var path: String
    /// False when the path was deleted (a file or a whole directory).
    public var exists: Bool

    public init(path: String, exists: Bool) {
        self.path = ProjectPath.clean(path)
        self.exists = exists
    }
}
