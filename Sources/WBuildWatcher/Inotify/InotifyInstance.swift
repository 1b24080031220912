#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

/// An inotify instance (`inotify_init1(IN_NONBLOCK | IN_CLOEXEC)`) and the syscalls on it.
/// Owned by the watcher's reader thread; `close()` exactly once.
struct InotifyInstance {
    let descriptor: FileDescriptor
    /// Fault injection for `inotify_add_watch`, keyed by relative directory.
    private let addWatchFault: (@Sendable (String) -> Errno?)?

    /// `inotify_init1(2)`, non-blocking and close-on-exec.
    static func open(fault: Errno?, addWatchFault: (@Sendable (String) -> Errno?)?) -> Result<InotifyInstance, Errno> {
        if let fault { return .failure(fault) }
        let fd = inotify_init1(Int32(O_NONBLOCK | O_CLOEXEC))
        if fd < 0 { return .failure(.current) }
        return .success(InotifyInstance(descriptor: FileDescriptor(rawValue: fd), addWatchFault: addWatchFault))
    }

    /// `inotify_add_watch(2)` with the directory mask on `absolutePath`; returns the watch descriptor.
    /// Adding a watch to an inode already watched returns its existing descriptor.
    func addWatch(absolutePath: String, relativePath: String) -> Result<Int32, Errno> {
        if let fault = addWatchFault?(relativePath) { return .failure(fault) }
        return retryingInterrupts {
            inotify_add_watch(descriptor.rawValue, absolutePath, InotifyMask.directoryWatch.rawValue)
        }
    }

    /// `inotify_rm_watch(2)`; errors (the watch is already gone) are ignored.
    func removeWatch(_ watch: Int32) {
        _ = inotify_rm_watch(descriptor.rawValue, watch)
    }

    /// Reads whatever events are queued into `buffer` and decodes them.
    /// Returns an empty array when nothing is queued (`EAGAIN`).
    func readEvents(into buffer: UnsafeMutableRawBufferPointer) -> Result<[InotifyEvent], Errno> {
        switch descriptor.read(into: buffer) {
        case .success(let count):
            return .success(InotifyEvent.decode(UnsafeRawBufferPointer(rebasing: buffer[0..<count])))
        case .failure(let errno) where errno == .wouldBlock:
            return .success([])
        case .failure(let errno):
            return .failure(errno)
        }
    }

    func close() { descriptor.close() }
}
