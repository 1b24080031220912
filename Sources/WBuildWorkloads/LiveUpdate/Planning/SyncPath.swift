/// One path a batch changed under a sync rule: where it is on the host and where it goes in the
/// container. It says nothing about what to do: that is decided from the host when the batch
/// is applied (`HostSyncReader`), never from the watcher's event.
public struct SyncPath: Sendable, Hashable {
    /// The path as the watcher reported it, project-relative (the ledger's key).
    public var projectPath: String
    /// Absolute path on the host.
    public var hostPath: String
    /// Absolute path in the container.
    public var containerPath: String

    /// Set by a ledger replay for a path whose image content was removed since the image was
    /// built: when it is a directory on the host now, it is removed before it is made again, so
    /// the image's entries the host no longer has go with it.
    public var replacesImage: Bool
    /// How many components the path is below its sync rule's `from` (0 for `from` itself): how
    /// far up the reader may look for the ancestor that stopped being a directory. Nil when
    /// unknown (entries of older ledgers): then such a path is skipped instead.
    public var levelsBelowRule: Int?

    public init(projectPath: String, hostPath: String, containerPath: String, levelsBelowRule: Int? = nil,
                replacesImage: Bool = false) {
        self.projectPath = projectPath
        self.hostPath = hostPath
        self.containerPath = containerPath
        self.levelsBelowRule = levelsBelowRule
        self.replacesImage = replacesImage
    }

    /// The path `levels` components up (the same rule, so the same number up in the container).
    func ancestor(levelsUp levels: Int) -> SyncPath {
        func drop(_ path: String) -> String {
            var path = Substring(path)
            for _ in 0..<levels {
                guard let slash = path.lastIndex(of: "/") else { return "" }
                path = path[path.startIndex..<slash]
            }
            return String(path)
        }
        return SyncPath(projectPath: drop(projectPath), hostPath: drop(hostPath), containerPath: drop(containerPath),
                        levelsBelowRule: levelsBelowRule.map { $0 - levels })
    }
}
