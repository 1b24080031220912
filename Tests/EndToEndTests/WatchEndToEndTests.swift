import Foundation
import Testing
import WBuildTestSupport

/// `wbuild watch` as a user runs it: real inotify, real processes, the built binary.
@Suite struct WatchEndToEndTests {
    /// A project whose task `t` reads `src/**` and counts its runs in ../runs-t.
    func startProject(_ extra: String = "", settleMs: Int = 30, files: [String: String] = ["src/a.txt": "one\n"])
        throws -> (TemporaryDirectory, RunningWBuild) {
        let dir = try TemporaryDirectory()
        try dir.write("p/wbuild.json", """
        { name: "w", watch: { settleMs: \(settleMs), maxDelayMs: 10000 },
          tasks: { t: { cmd: "echo ran >> ../runs-t", inputs: ["src/**"] }\(extra) } }
        """)
        for (path, contents) in files { try dir.write("p/" + path, contents) }
        let watch = try RunningWBuild(["watch", "--json"], in: dir.url("p"))
        #expect(watch.waitUntilWatching(), "watch did not start: \(watch.stderrText)")
        #expect(watch.wait { watch.doneCount("task:t") == 1 }, "first pass: \(watch.stdoutLines)")
        return (dir, watch)
    }

    func shell(_ script: String, in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "`\(script)` failed")
    }

    /// Waits for run number `n` of task t and returns the reason it ran.
    func reason(ofRun n: Int, _ watch: RunningWBuild) -> String? {
        watch.wait { watch.doneCount("task:t") >= n }
        let reasons = watch.startReasons("task:t")
        return reasons.count >= n ? reasons[n - 1] : nil
    }

    @Test func aPlainWriteRerunsTheTaskOnce() throws {
        let (dir, watch) = try startProject()
        defer { watch.stop(); dir.remove() }
        try dir.write("p/src/a.txt", "two\n")
        #expect(reason(ofRun: 2, watch) == "inputs changed: src/a.txt")
        watch.waitUntilQuiet()
        #expect(watch.doneCount("task:t") == 2)
        // Ctrl-C: a summary, exit 0.
        #expect(watch.stop(signal: SIGINT) == 0)
        #expect(!watch.events(ofType: "stopped").isEmpty)
    }

    @Test func anAtomicRenameSaveIsOneChangeOfTheRealFile() throws {
        let (dir, watch) = try startProject()
        defer { watch.stop(); dir.remove() }
        try shell("printf 'two\\n' > src/.a.txt.tmp-123 && mv src/.a.txt.tmp-123 src/a.txt", in: dir.url("p"))
        #expect(reason(ofRun: 2, watch) == "inputs changed: src/a.txt")
        watch.waitUntilQuiet()
        #expect(watch.doneCount("task:t") == 2)
    }

    @Test func vimsBackupDanceIsOneChange() throws {
        let (dir, watch) = try startProject()
        defer { watch.stop(); dir.remove() }
        // What vim does with `backupcopy=no`: probe 4913, rename the original to a~, write anew, drop the backup.
        try shell("touch src/4913 && rm src/4913 && mv src/a.txt src/a.txt~ && printf 'two\\n' > src/a.txt && rm src/a.txt~", in: dir.url("p"))
        #expect(reason(ofRun: 2, watch) == "inputs changed: src/a.txt")
        watch.waitUntilQuiet()
        #expect(watch.doneCount("task:t") == 2)
    }

    @Test func sedInPlaceIsOneChange() throws {
        let (dir, watch) = try startProject()
        defer { watch.stop(); dir.remove() }
        try shell("sed -i s/one/two/ src/a.txt", in: dir.url("p"))
        #expect(reason(ofRun: 2, watch) == "inputs changed: src/a.txt")
        watch.waitUntilQuiet()
        #expect(watch.doneCount("task:t") == 2)
    }

    @Test func filesInBrandNewNestedDirectoriesAreSeen() throws {
        let (dir, watch) = try startProject()
        defer { watch.stop(); dir.remove() }
        try shell("mkdir -p src/a/b/c && echo x > src/a/b/c/f", in: dir.url("p"))
        #expect(reason(ofRun: 2, watch) == "inputs changed: src/a/b/c/f")
        // The new directories are watched too.
        watch.waitUntilQuiet()
        try dir.write("p/src/a/b/c/f", "y\n")
        #expect(reason(ofRun: 3, watch) == "inputs changed: src/a/b/c/f")
    }

    @Test func removingASubtreeIsSeen() throws {
        let (dir, watch) = try startProject(files: ["src/a.txt": "1", "src/sub/x.txt": "x", "src/sub/deep/y.txt": "y"])
        defer { watch.stop(); dir.remove() }
        try shell("rm -rf src/sub", in: dir.url("p"))
        #expect(reason(ofRun: 2, watch) == "inputs changed: src/sub/deep/y.txt, src/sub/x.txt")
    }

    @Test func aDirectoryRenameIsSeenAndTheNewNameIsWatched() throws {
        let (dir, watch) = try startProject(files: ["src/a.txt": "1", "src/old/x.txt": "x"])
        defer { watch.stop(); dir.remove() }
        try shell("mv src/old src/new", in: dir.url("p"))
        #expect(reason(ofRun: 2, watch) == "inputs changed: src/new/x.txt, src/old/x.txt")
        watch.waitUntilQuiet()
        try dir.write("p/src/new/x.txt", "changed")
        #expect(reason(ofRun: 3, watch) == "inputs changed: src/new/x.txt")
    }

    @Test func aBurstOfFiveThousandFilesIsOneRun() throws {
        let (dir, watch) = try startProject(settleMs: 500)
        defer { watch.stop(); dir.remove() }
        // Prepare the files outside the project, then land them with one tar extraction.
        try shell("mkdir -p ../stage/burst && cd ../stage && for d in $(seq 1 50); do mkdir -p burst/d$d; for f in $(seq 1 100); do echo $d$f > burst/d$d/f$f; done; done && tar -cf ../burst.tar burst", in: dir.url("p"))
        try shell("tar -xf ../burst.tar -C src", in: dir.url("p"))
        let reason = reason(ofRun: 2, watch)
        #expect(reason?.hasSuffix("and 4997 more") == true, "\(reason ?? "no second run")")
        watch.waitUntilQuiet(.milliseconds(1500))
        #expect(watch.doneCount("task:t") == 2)
    }

    @Test func ignoredPathsAndEditorTemporariesNeverTrigger() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("p/wbuild.json", """
        { name: "i", watch: { ignore: ["src/generated"] },
          tasks: { t: { cmd: "echo ran >> ../runs-t", inputs: ["src/**"] } } }
        """)
        try dir.write("p/src/a.txt", "1")
        let watch = try RunningWBuild(["watch", "--json"], in: dir.url("p"))
        defer { watch.stop() }
        #expect(watch.waitUntilWatching())
        #expect(watch.wait { watch.doneCount("task:t") == 1 })
        try shell("mkdir -p src/generated && echo x > src/generated/g.txt && echo x > src/.a.txt.swp && echo x > src/a.txt~ && echo x > 'src/.#a.txt' && echo x > notes.txt && mkdir -p .wbuild && echo x > .wbuild/own", in: dir.url("p"))
        // A real change afterwards is the only run, and names only its own file.
        watch.waitUntilQuiet(.milliseconds(600))
        try dir.write("p/src/a.txt", "2")
        #expect(reason(ofRun: 2, watch) == "inputs changed: src/a.txt")
        watch.waitUntilQuiet()
        #expect(watch.doneCount("task:t") == 2)
    }

    @Test func aNewerChangeCancelsTheRunningTaskAndRerunsIt() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("p/wbuild.json", """
        { name: "c", tasks: { slow: {
            cmd: "v=$(cat src/v); echo $v >> ../started; sleep 4; echo $v >> ../finished",
            inputs: ["src/**"] } } }
        """)
        try dir.write("p/src/v", "0")
        let watch = try RunningWBuild(["watch", "--json"], in: dir.url("p"))
        defer { watch.stop() }
        #expect(watch.waitUntilWatching())
        #expect(watch.wait { watch.doneCount("task:slow") == 1 })
        try dir.write("p/src/v", "1")
        #expect(watch.wait { ((try? dir.read("started")) ?? "").contains("1") })
        try dir.write("p/src/v", "2")
        #expect(watch.wait { watch.doneCount("task:slow", status: "cancelled") == 1 }, "\(watch.stdoutLines)")
        #expect(watch.wait { watch.doneCount("task:slow") == 2 })
        #expect(try dir.read("finished") == "0\n2\n")  // the stale run never finished
    }

    @Test func aTaskWritingItsOwnOutputsDoesNotLoop() throws {
        let (dir, watch) = try startProject("""
        , gen: { cmd: "mkdir -p src/out && date +%s%N > src/out/stamp && echo ran >> ../runs-gen", inputs: ["src/**"], outputs: ["src/out"] }
        """)
        defer { watch.stop(); dir.remove() }
        #expect(watch.wait { watch.doneCount("task:gen") == 1 })
        try dir.write("p/src/a.txt", "two")
        #expect(watch.wait { watch.doneCount("task:gen") == 2 })
        watch.waitUntilQuiet(.milliseconds(1500))
        #expect(watch.doneCount("task:gen") == 2)
        // src/out is gen's own output; t reads src/** so it sees the stamp once per gen run.
        #expect(try dir.read("runs-gen").split(separator: "\n").count == 2)
    }

    @Test func aBrokenProjectFileEditKeepsTheLastGoodGraph() throws {
        let (dir, watch) = try startProject()
        defer { watch.stop(); dir.remove() }
        let good = try dir.read("p/wbuild.json")
        try dir.write("p/wbuild.json", "{ name: \"w\", tasks: { t: { cmd: \"true\", inptus: [] } } }")
        #expect(watch.wait { watch.events(ofType: "warning").contains { ($0["message"] as? String)?.contains("inptus") == true } })
        try dir.write("p/src/a.txt", "still watched")
        #expect(reason(ofRun: 2, watch) == "inputs changed: src/a.txt")
        // Fixed: the new graph (a changed command) replaces the old one and runs.
        try dir.write("p/wbuild.json", good.replacingOccurrences(of: "echo ran", with: "echo reloaded"))
        #expect(watch.wait { !watch.events(ofType: "reloaded").isEmpty })
        #expect(watch.wait { ((try? dir.read("runs-t")) ?? "").contains("reloaded") })
        #expect(watch.wait { watch.startReasons("task:t").last == "settings changed" }, "\(watch.startReasons("task:t"))")
    }

    @Test func serveTasksRestartOnChangeAndStopWithWatch() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("p/wbuild.json", """
        { name: "s", tasks: { web: { serve: "echo $$ >> ../pids; exec sleep 300", inputs: ["src/**"] } } }
        """)
        try dir.write("p/src/a", "1")
        let watch = try RunningWBuild(["watch", "--json"], in: dir.url("p"))
        #expect(watch.waitUntilWatching())
        #expect(watch.wait { ((try? dir.read("pids")) ?? "").split(separator: "\n").count == 1 })
        try dir.write("p/src/a", "2")
        #expect(watch.wait { ((try? dir.read("pids")) ?? "").split(separator: "\n").count == 2 })
        let pids = try dir.read("pids").split(separator: "\n").compactMap { Int32($0) }
        #expect(pids.count == 2)
        #expect(watch.wait { kill(pids[0], 0) != 0 }, "the old server was not stopped")
        #expect(kill(pids[1], 0) == 0)
        #expect(watch.stop(signal: SIGTERM) == 0)
        #expect(kill(pids[1], 0) != 0, "watch left its server running")
    }

    @Test func aCrashingServeTaskIsRestartedWithBackoff() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("p/wbuild.json", """
        { name: "b", tasks: { flaky: { serve: "echo start >> ../starts; exit 4" } } }
        """)
        let watch = try RunningWBuild(["watch", "--json"], in: dir.url("p"))
        defer { watch.stop() }
        #expect(watch.wait { ((try? dir.read("starts")) ?? "").split(separator: "\n").count >= 3 })
        let warnings = watch.events(ofType: "warning").compactMap { $0["message"] as? String }
        #expect(warnings.contains { $0.contains("serve:flaky exited (exit code 4); restarting in 0.5 s") })
        #expect(warnings.contains { $0.contains("restarting in 1 s") })
    }

}
