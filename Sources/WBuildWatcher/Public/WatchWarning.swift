import WBuildSystem

/// Something the watcher works around but the user should know about, such as falling
/// back to polling because the kernel ran out of inotify watches.
public struct WatchWarning: Sendable, Equatable, CustomStringConvertible {
    /// What kind of degradation happened.
    public enum Kind: Sendable, Equatable {
        /// `inotify_add_watch` failed with `ENOSPC`: the subtree is polled instead.
        case outOfWatches
        /// `inotify_init1` failed with `EMFILE`: the whole tree is polled instead.
        case outOfInstances
        /// A directory could not be watched for another reason (e.g. permission denied); it is not watched.
        case directoryNotWatched
        /// The root itself was deleted or moved away; nothing more will be reported.
        case rootRemoved
        /// The kernel's event queue overflowed (`IN_Q_OVERFLOW`): events were lost, the tree is rescanned.
        case eventsLost
    }

    public var kind: Kind
    /// The affected subtree, relative to the root (`""` is the root).
    public var subtree: String
    /// One line a user can act on; for the limits it names the sysctl to raise.
    public var message: String

    public init(kind: Kind, subtree: String, message: String) {
        self.kind = kind
        self.subtree = subtree
        self.message = message
    }

    public var description: String { message }

    static func outOfWatches(subtree: String, pollInterval: Duration, furtherSilenced: Bool) -> WatchWarning {
        let further = furtherSilenced ? " Further subtrees that cannot be watched are polled without another warning." : ""
        return WatchWarning(
            kind: .outOfWatches, subtree: subtree,
            message: "inotify_add_watch on \(displayed(subtree)): no watches left (fs.inotify.max_user_watches is \(currentLimit("max_user_watches"))); "
                + "polling this subtree every \(pollInterval) instead. Raise the limit with: sysctl fs.inotify.max_user_watches=524288."
                + further)
    }

    static func outOfInstances(pollInterval: Duration) -> WatchWarning {
        WatchWarning(
            kind: .outOfInstances, subtree: "",
            message: "inotify_init1: too many inotify instances (fs.inotify.max_user_instances is \(currentLimit("max_user_instances"))); "
                + "polling the whole tree every \(pollInterval) instead. Raise the limit with: sysctl fs.inotify.max_user_instances=1024")
    }

    static func notWatched(subtree: String, errno: Errno) -> WatchWarning {
        WatchWarning(kind: .directoryNotWatched, subtree: subtree,
                     message: "inotify_add_watch on \(displayed(subtree)): \(errno); changes under it will not be seen")
    }

    static func rootRemoved(root: String) -> WatchWarning {
        WatchWarning(kind: .rootRemoved, subtree: "",
                     message: "the watched root \(root) was deleted or moved away; restart the watcher once it is back")
    }

    static func eventsLost() -> WatchWarning {
        WatchWarning(kind: .eventsLost, subtree: "",
                     message: "inotify: the kernel's event queue overflowed and changes were lost (fs.inotify.max_queued_events is "
                        + "\(currentLimit("max_queued_events"))); rescanning the whole tree, so nothing is missed. "
                        + "If this happens often, raise the limit with: sysctl fs.inotify.max_queued_events=65536")
    }

    private static func displayed(_ subtree: String) -> String { subtree.isEmpty ? "the root" : subtree }

    private static func currentLimit(_ name: String) -> String {
        let bytes = (try? AtomicFile.read("/proc/sys/fs/inotify/\(name)")) ?? nil
        guard let bytes else { return "unknown" }
        return String(decoding: bytes.filter { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }, as: UTF8.self)
    }
}
