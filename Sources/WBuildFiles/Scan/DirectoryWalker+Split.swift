import Foundation
import Synchronization

extension DirectoryWalker {
    /// Where to split `children` so that each side gets about half of the subdirectories the
    /// source set walks into (`walked`); nil when there are fewer than two.
    static func splitPoint(_ children: [Child], walked: (Child) -> Bool) -> Int? {
        let directories = children.indices.filter { children[$0].isDirectory && walked(children[$0]) }
        guard directories.count >= 2 else { return nil }
        return directories[directories.count / 2]
    }

    /// Visits `children[..<split]` on this thread while a helper `Thread` visits the rest with
    /// a walker of its own (the `fstatat`/`getdents` of a no-op scan are CPU work in the
    /// kernel, so two cores walk 100k files in about half the time). The helper's files come
    /// after this thread's, which keeps the walk's path order. Blocks until both are done.
    mutating func visitSplitting(_ children: [Child], at split: Int, in directoryFD: Int32, prefix: String,
                                 cache: StatCache, match: ContextMatch) {
        let secondHalf = WalkerSlot()
        let done = DispatchSemaphore(value: 0)
        let helperSourceSet = sourceSet, helperPipeline = pipeline
        let rest = children[split...]
        let thread = Thread {
            var helper = DirectoryWalker(sourceSet: helperSourceSet, pipeline: helperPipeline)
            helper.visit(rest, in: directoryFD, prefix: prefix, cache: cache, match: match)
            secondHalf.value.withLock { $0 = helper }
            done.signal()
        }
        thread.name = "wbuild.walk"
        thread.start()
        visit(children[..<split], in: directoryFD, prefix: prefix, cache: cache, match: match)
        done.wait()
        guard var helper = secondHalf.value.withLock({ $0.take() }) else { return }
        finishedSegments.append(files)
        finishedSegments.append(contentsOf: helper.takeFiles())
        files = []
        problems.append(contentsOf: helper.problems)
        statistics.directoriesRead += helper.statistics.directoriesRead
        statistics.filesExamined += helper.statistics.filesExamined
        statistics.cacheHits += helper.statistics.cacheHits
    }
}

/// Hands the helper thread's walker back to the walking thread.
private final class WalkerSlot: Sendable {
    let value = Mutex<DirectoryWalker?>(nil)
}
