import Foundation
import Testing
import WBuildSystem
import WBuildTestSupport
import WBuildWatcher

/// A burst such as untarring or `git checkout` arrives settled into one batch, with every
/// path in it.
@Suite struct BurstTests {
    @Test func untarringFiveThousandFilesCoalescesIntoOneBatch() async throws {
        // The archive is made outside the watched tree, before watching starts.
        let staging = try TemporaryDirectory(prefix: "wbuild-watcher-tar")
        defer { staging.remove() }
        var expected: Set<String> = ["burst"]
        for group in 0..<50 {
            let directory = staging.url("burst/g\(group)")
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            expected.insert("burst/g\(group)")
            for file in 0..<100 {
                let path = "burst/g\(group)/file\(file).txt"
                // Raw open/close: FileManager's atomic writes would make staging the slow part.
                let file = try FileDescriptor.open(staging.url(path), O_WRONLY | O_CREAT | O_TRUNC)
                file.close()
                expected.insert(path)
            }
        }
        try run("/usr/bin/tar", ["-cf", staging.url("burst.tar"), "-C", staging.path, "burst"])

        // A settle window wider than the default absorbs scheduler stalls on a loaded
        // machine, so this checks coalescing rather than the machine's speed.
        let tree = try await WatchedTree.start(configure: { options in
            options.settle = .milliseconds(250)
            options.maxDelay = .seconds(10)
        })
        defer { tree.stop() }

        try run("/usr/bin/tar", ["-xf", staging.url("burst.tar"), "-C", tree.root])

        #expect(await tree.collector.waitForPaths(expected, timeout: .seconds(30)))
        let batches = tree.collector.batches
        #expect(batches.count == 1, "\(batches.count) batches of sizes \(batches.map(\.paths.count))")
        #expect(tree.collector.allPaths == expected)
        #expect(tree.collector.allRescans.isEmpty)
    }

    private func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(executable) \(arguments) failed")
    }
}
