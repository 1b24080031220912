import Foundation
import Testing
import WBuildSystem
import WBuildWatcher

/// Out of inotify watches or instances, the watcher warns with the sysctl to raise and
/// keeps reporting changes by polling.
@Suite struct PollingFallbackTests {
    @Test func outOfWatchesPollsTheSubtreeAndNamesTheSysctl() async throws {
        let tree = try await WatchedTree.start(
            prepare: { directory in
                try directory.write("deep/inner/existing.txt", "one")
                try directory.write("deep/gone.txt", "g")
                try directory.write("shallow/s.txt", "s")
            },
            configure: { options in
                options.pollInterval = .milliseconds(50)
                options.faults.addWatchError = { $0 == "deep" || $0.hasPrefix("deep/") ? .noSpace : nil }
            })
        defer { tree.stop() }

        var warnings = tree.watcher.warnings.makeAsyncIterator()
        let warning = await warnings.next()
        #expect(warning?.kind == .outOfWatches)
        #expect(warning?.subtree == "deep")
        #expect(warning?.message.contains("sysctl fs.inotify.max_user_watches=524288") == true)

        try tree.write("deep/inner/existing.txt", "two, longer")
        try tree.write("deep/inner/new.txt")
        try tree.makeDirectories("deep/made")
        try tree.write("deep/made/inside.txt")
        try tree.remove("deep/gone.txt")
        #expect(await tree.collector.waitForPaths([
            "deep/inner/existing.txt", "deep/inner/new.txt", "deep/made", "deep/made/inside.txt", "deep/gone.txt",
        ]))

        // The rest of the tree is still watched with inotify.
        try tree.write("shallow/s.txt", "changed")
        #expect(await tree.collector.waitForPaths(["shallow/s.txt"]))
    }

    @Test func outOfWatchesWarnsAboutTheFirstFewSubtreesOnly() async throws {
        let tree = try await WatchedTree.start(
            prepare: { directory in
                for index in 0..<8 { try directory.write("d\(index)/f.txt", "one") }
            },
            configure: { options in
                options.pollInterval = .milliseconds(50)
                options.faults.addWatchError = { $0.isEmpty ? nil : .noSpace }
            })
        defer { tree.stop() }

        try tree.write("d7/f.txt", "two, longer")
        #expect(await tree.collector.waitForPaths(["d7/f.txt"]))

        tree.watcher.stop()
        var warnings: [WatchWarning] = []
        for await warning in tree.watcher.warnings { warnings.append(warning) }
        #expect(warnings.count == 5)
        #expect(warnings.allSatisfy { $0.kind == .outOfWatches })
        #expect(warnings.last?.message.contains("without another warning") == true)
    }

    @Test func outOfInstancesPollsTheWholeTreeAndNamesTheSysctl() async throws {
        let tree = try await WatchedTree.start(
            prepare: { try $0.write("a/existing.txt", "one") },
            configure: { options in
                options.pollInterval = .milliseconds(50)
                options.faults.initError = .tooManyOpenFiles
            })
        defer { tree.stop() }

        var warnings = tree.watcher.warnings.makeAsyncIterator()
        let warning = await warnings.next()
        #expect(warning?.kind == .outOfInstances)
        #expect(warning?.message.contains("fs.inotify.max_user_instances") == true)

        try tree.write("a/existing.txt", "two, longer")
        try tree.write("b/new.txt")
        #expect(await tree.collector.waitForPaths(["a/existing.txt", "b", "b/new.txt"]))
    }
}
