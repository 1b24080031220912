import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import WBuildTestSupport

/// What a user of `wbuild watch` saw go wrong with syncs, on the hello sample (busybox httpd
/// serving site/ from /www): a `touch` or `chmod` of a directory took the site down, and a
/// tree copied in over several batches arrived with files missing.
extension WorkloadEndToEndTests {
    @Test func watchKeepsTheSiteThroughDirectoryMetadataChangesAndCopiesTreesWhole() throws {
        let (dir, project) = try helloProject()
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let watch = try RunningWBuild(["watch", "--json"], in: dir.path)
        defer { watch.stop() }
        #expect(watch.waitUntilWatching(), "\(watch.stderrText)")
        #expect(watch.wait(timeout: .seconds(90)) { !watch.events(ofType: "ready").isEmpty }, "\(watch.stdoutLines.suffix(20))")
        let address = try #require(firstURL(in: watch.events(ofType: "ready").first?["detail"] as? String))

        try dir.write("site/sub/page.html", "sub page\n")
        #expect(watch.wait { get(address + "/sub/page.html") == "sub page\n" })

        // A directory's metadata changes: nothing goes.
        let updates = watch.events(ofType: "liveUpdate").count
        var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, dir.url("site/sub"), &times, 0) == 0)
        #expect(chmod(dir.url("site"), 0o755) == 0)
        #expect(watch.wait { watch.events(ofType: "liveUpdate").count > updates }, "\(watch.stdoutLines.suffix(10))")
        watch.waitUntilQuiet()
        #expect(get(address + "/sub/page.html") == "sub page\n")
        #expect(get(address + "/index.html") != nil, "the site still serves its index")

        // A tree copied in with cp -a (directory times set after their contents) arrives whole.
        let source = try TemporaryDirectory(prefix: "wbuild-e2e-tree")
        defer { source.remove() }
        for index in 0..<1_000 { try source.write("tree/d\(index % 20)/f\(index).html", "file \(index)\n") }
        let copy = Process()
        copy.executableURL = URL(fileURLWithPath: "/bin/cp")
        copy.arguments = ["-a", source.url("tree"), dir.url("site/tree")]
        try copy.run()
        copy.waitUntilExit()
        #expect(copy.terminationStatus == 0)
        #expect(watch.wait(timeout: .seconds(60)) {
            get(address + "/tree/d19/f999.html") == "file 999\n" && get(address + "/tree/d0/f0.html") == "file 0\n"
        })
        watch.waitUntilQuiet()
        let counted = DockerCLI.run(["exec", try #require(Self.container(of: project)), "sh", "-c", "find /www/tree -type f | wc -l"])
        #expect(counted?.trimmingCharacters(in: .whitespacesAndNewlines) == "1000")

        // rm -rf of a directory removes it, and only it.
        try FileManager.default.removeItem(atPath: dir.url("site/sub"))
        #expect(watch.wait { get(address + "/sub/page.html") == nil })
        #expect(get(address + "/index.html") != nil)
        #expect(get(address + "/tree/d0/f0.html") == "file 0\n")
        #expect(watch.doneCount("workload:web") == 1, "no rebuild, no new container")
    }

    /// The project's replica of `web` (not its front door).
    static func container(of project: String) -> String? {
        DockerCLI.run(["ps", "-q", "--filter", "label=dev.wbuild.project=\(project)", "--filter", "label=dev.wbuild.replica"])?
            .split(separator: "\n").first.map(String.init)
    }
}
