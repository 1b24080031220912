import Foundation
import Synchronization
import Testing
import WBuildTestSupport
import WBuildWatcher

/// Starting fails with a useful error; `stop()` is prompt, idempotent, and leaves no
/// thread and no descriptor behind.
@Suite struct LifecycleTests {
    @Test func stopClosesEveryDescriptorAndEndsTheThread() async throws {
        let tree = try await WatchedTree.start { try $0.write("src/a.txt", "a") }
        defer { tree.directory.remove() }

        // Identify our descriptors by what they are, not by number: other tests running in
        // parallel open and close descriptors, and numbers are reused.
        let owned = tree.watcher.descriptors
        #expect(owned.count == 3)
        let identities = owned.map { OpenDescriptors.identity(of: $0) }
        #expect(identities.allSatisfy { $0 != nil })
        let pipes = Set(identities.compactMap { $0 }.filter { $0.hasPrefix("pipe:") })
        #expect(pipes.count == 1)  // both ends of the wake pipe
        let rootInode = try InotifyFdInfo.inode(of: tree.root)
        #expect(OpenDescriptors.inotifyWatching(inode: rootInode).count == 1)
        #expect(OpenDescriptors.threadNames().contains(tree.watcher.threadName))

        tree.watcher.stop()
        tree.watcher.stop()  // idempotent

        #expect(OpenDescriptors.all().values.allSatisfy { !pipes.contains($0) })
        #expect(OpenDescriptors.inotifyWatching(inode: rootInode).isEmpty)
        #expect(!OpenDescriptors.threadNames().contains(tree.watcher.threadName))
        #expect(await eventually { tree.collector.isFinished })
    }

    @Test func stopFromManyTasksAtOnceIsSafe() async throws {
        let tree = try await WatchedTree.start()
        defer { tree.directory.remove() }
        let watcher = tree.watcher
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { watcher.stop() } }
        }
        #expect(!OpenDescriptors.threadNames().contains(watcher.threadName))
        #expect(await eventually { tree.collector.isFinished })
    }

    @Test func withWatcherStopsTheWatcherWhenTheBodyThrows() async throws {
        struct BodyFailed: Error {}
        let directory = try TemporaryDirectory(prefix: "wbuild-watcher-scoped")
        defer { directory.remove() }
        let seen = Mutex<FileWatcher?>(nil)
        await #expect(throws: BodyFailed.self) {
            try await InotifyLimits.startingWatcher {
                try await FileWatcher.withWatcher(WatchOptions(root: directory.path)) { watcher in
                    seen.withLock { $0 = watcher }
                    throw BodyFailed()
                }
            }
        }
        let watcher = try #require(seen.withLock { $0 })
        #expect(!OpenDescriptors.threadNames().contains(watcher.threadName))
    }

    @Test func deletingTheRootWarnsAndReportsIt() async throws {
        let tree = try await WatchedTree.start { try $0.write("a.txt", "a") }
        defer { tree.stop() }

        tree.directory.remove()

        var warnings = tree.watcher.warnings.makeAsyncIterator()
        #expect(await warnings.next()?.kind == .rootRemoved)
        #expect(await tree.collector.waitForPaths(["a.txt", ""]))
        #expect(await tree.collector.waitForRescan(""))
    }

    @Test func aSymlinkedRootWatchesWhatItPointsTo() async throws {
        let target = try TemporaryDirectory(prefix: "wbuild-watcher-target")
        defer { target.remove() }
        let link = target.path + "-link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target.path)
        defer { try? FileManager.default.removeItem(atPath: link) }

        let watcher = try await InotifyLimits.startingWatcher { try await FileWatcher.start(WatchOptions(root: link)) }
        defer { watcher.stop() }
        let collector = BatchCollector(watcher)
        try target.write("sub/file.txt", "x")
        #expect(await collector.waitForPaths(["sub", "sub/file.txt"]))
    }

    @Test func startOnAMissingRootFailsNamingIt() async throws {
        let missing = "/tmp/wbuild-watcher-missing-\(UUID().uuidString)"
        do {
            _ = try await FileWatcher.start(WatchOptions(root: missing))
            Issue.record("start succeeded on a missing root")
        } catch {
            #expect(error.code == .rootNotDirectory)
            #expect(error.description.contains(missing))
        }
    }

    @Test func startOnARelativeRootFails() async throws {
        do {
            _ = try await FileWatcher.start(WatchOptions(root: "relative/dir"))
            Issue.record("start succeeded on a relative root")
        } catch {
            #expect(error.code == .rootNotAbsolute)
        }
    }
}

/// What this process has open, read from /proc/self.
enum OpenDescriptors {
    /// fd number → what it is (`pipe:[123]`, `anon_inode:inotify`, a path).
    static func all() -> [Int32: String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        var result: [Int32: String] = [:]
        for name in names {
            guard let fd = Int32(name), let target = identity(of: fd) else { continue }
            result[fd] = target
        }
        return result
    }

    static func identity(of fd: Int32) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")
    }

    /// Inotify descriptors that hold a watch on `inode`.
    static func inotifyWatching(inode: UInt64) -> [Int32] {
        all().filter { $0.value == "anon_inode:inotify" }.keys.filter { fd in
            ((try? InotifyFdInfo.watchedInodes(fd: fd)) ?? []).contains(inode)
        }
    }

    /// Names of this process's threads.
    static func threadNames() -> Set<String> {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return Set(tasks.compactMap { task in
            (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        })
    }
}
