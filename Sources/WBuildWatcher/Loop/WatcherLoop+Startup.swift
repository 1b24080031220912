#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

extension FileWatcher {
    /// The reader thread's whole life: check the root, open inotify (or fall back to polling
    /// when out of instances), watch the initial tree, report `ready`, then loop until stopped.
    /// `ready` receives the inotify descriptor (nil when polling) or why starting failed.
    static func runReader(options: WatchOptions, wake: WakePipe, control: WatcherControl,
                          batchSink: AsyncStream<ChangeBatch>.Continuation,
                          warningSink: AsyncStream<WatchWarning>.Continuation,
                          ready: (Result<Int32?, WatchError>) -> Void) {
        // Watch what the root resolves to: inotify is told not to follow symlinks.
        var options = options
        if let resolved = realpath(options.root, nil) {
            options.root = String(cString: resolved)
            free(resolved)
        }
        guard let rootStamp = FileStamp.read(options.root), rootStamp.isDirectory else {
            batchSink.finish()
            warningSink.finish()
            ready(.failure(WatchError(code: .rootNotDirectory, root: options.root,
                                      hint: "create the directory or point the watcher at an existing one")))
            return
        }
        var inotify: InotifyInstance?
        switch InotifyInstance.open(fault: options.faults.initError, addWatchFault: options.faults.addWatchError) {
        case .success(let instance):
            inotify = instance
        case .failure(let errno) where errno == .tooManyOpenFiles:
            inotify = nil  // polled instead; `watchInitialTree` warns with the sysctl to raise
        case .failure(let errno):
            batchSink.finish()
            warningSink.finish()
            ready(.failure(WatchError(code: .inotifyUnavailable, root: options.root,
                                      cause: SystemError("inotify_init1", errno: errno),
                                      hint: "this kernel or container may not provide inotify")))
            return
        }
        let loop = WatcherLoop(options: options, inotify: inotify, wake: wake, control: control,
                               batchSink: batchSink, warningSink: warningSink)
        loop.watchInitialTree()
        ready(.success(inotify?.descriptor.rawValue))
        loop.run()
    }
}
