import Foundation
import WBuildTestSupport
import WBuildWatcher

/// A temp directory with a running watcher on it and a collector of its batches; each test
/// makes its own, so tests run in parallel.
struct WatchedTree {
    let directory: TemporaryDirectory
    let watcher: FileWatcher
    let collector: BatchCollector

    var root: String { directory.path }

    /// Creates a temp dir, lets `prepare` populate it, then starts watching it.
    static func start(
        prepare: (TemporaryDirectory) throws -> Void = { _ in },
        configure: (inout WatchOptions) -> Void = { _ in }
    ) async throws -> WatchedTree {
        let directory = try TemporaryDirectory(prefix: "wbuild-watcher")
        try prepare(directory)
        var options = WatchOptions(root: directory.path, isIgnored: editorTempIgnore())
        configure(&options)
        let configured = options
        let watcher = try await InotifyLimits.startingWatcher { try await FileWatcher.start(configured) }
        return WatchedTree(directory: directory, watcher: watcher, collector: BatchCollector(watcher))
    }

    func stop() {
        watcher.stop()
        directory.remove()
    }

    func path(_ relative: String) -> String { directory.url(relative) }

    func write(_ relative: String, _ contents: String = "x") throws {
        try directory.write(relative, contents)
    }

    func makeDirectories(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path(relative), withIntermediateDirectories: true)
    }

    func rename(_ from: String, _ to: String) throws {
        try FileManager.default.moveItem(atPath: path(from), toPath: path(to))
    }

    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: path(relative))
    }

    /// Writes a sentinel file and waits for it: every event queued before it has then been
    /// reported, so a test can assert that something was *not* reported.
    func flush(_ name: String = "sentinel") async throws -> Bool {
        try write(name)
        return await collector.waitForPaths([name])
    }
}
