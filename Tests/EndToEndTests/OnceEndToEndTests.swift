import Foundation
import Testing
import WBuildTestSupport

/// `wbuild once` and `wbuild graph` as a user runs them: the built binary on temporary projects.
@Suite struct OnceEndToEndTests {
    /// assets bundles web/src into web/dist; check reads web/dist (an output edge); lint reads
    /// web/src; docs is independent.
    static let project = """
    {
      name: "demo",
      tasks: {
        assets: { cmd: "mkdir -p web/dist && cat web/src/*.js > web/dist/app.js && echo ran >> ../runs-assets", inputs: ["web/src/**"], outputs: ["web/dist"] },
        check: { cmd: ["sh", "-c", "wc -c < web/dist/app.js && echo ran >> ../runs-check"], inputs: ["web/dist/**"] },
        docs: { cmd: "echo ran >> ../runs-docs", inputs: ["docs/**"] },
      },
    }
    """

    func makeProject() throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory()
        try dir.write("p/wbuild.json", Self.project)
        try dir.write("p/web/src/a.js", "console.log('a')\n")
        try dir.write("p/docs/index.md", "# docs\n")
        return (dir, dir.url("p"))
    }

    func runs(_ dir: TemporaryDirectory, _ task: String) -> Int {
        ((try? dir.read("runs-\(task)")) ?? "").split(separator: "\n").count
    }

    @Test func secondOnceIsAllCached() throws {
        let (dir, project) = try makeProject()
        defer { dir.remove() }
        let first = try WBuildBinary.run(["once", "--json"], in: project)
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(first.status("task:assets") == "built")
        #expect(first.nodes["task:assets"]?["reason"] as? String == "never built")
        let second = try WBuildBinary.run(["once", "--json"], in: project)
        #expect(second.exitCode == 0)
        let statuses = Set(second.nodes.values.compactMap { $0["status"] as? String })
        #expect(statuses == ["cached"])
        #expect(runs(dir, "assets") == 1 && runs(dir, "check") == 1 && runs(dir, "docs") == 1)
    }

    @Test func editingOneInputRerunsExactlyWhatIsDownstream() throws {
        let (dir, project) = try makeProject()
        defer { dir.remove() }
        _ = try WBuildBinary.run(["once"], in: project)
        try dir.write("p/web/src/a.js", "console.log('changed')\n")
        let run = try WBuildBinary.run(["once", "--json"], in: project)
        #expect(run.exitCode == 0)
        #expect(run.status("task:assets") == "built")
        #expect(run.nodes["task:assets"]?["reason"] as? String == "inputs changed: web/src/a.js")
        #expect(run.status("task:check") == "built")
        #expect(run.nodes["task:check"]?["reason"] as? String == "inputs changed: web/dist/app.js")
        #expect(run.status("task:docs") == "cached")
        #expect(runs(dir, "assets") == 2 && runs(dir, "check") == 2 && runs(dir, "docs") == 1)
    }

    @Test func touchingWithoutChangeRerunsNothing() throws {
        let (dir, project) = try makeProject()
        defer { dir.remove() }
        _ = try WBuildBinary.run(["once"], in: project)
        let file = dir.url("p/web/src/a.js")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: file)
        let run = try WBuildBinary.run(["once", "--json"], in: project)
        #expect(run.exitCode == 0)
        #expect(Set(run.nodes.values.compactMap { $0["status"] as? String }) == ["cached"])
        #expect(runs(dir, "assets") == 1)
    }

    @Test func deletingAnOutputRerunsItsTask() throws {
        let (dir, project) = try makeProject()
        defer { dir.remove() }
        _ = try WBuildBinary.run(["once"], in: project)
        try FileManager.default.removeItem(atPath: dir.url("p/web/dist/app.js"))
        let run = try WBuildBinary.run(["once", "--json"], in: project)
        #expect(run.exitCode == 0)
        #expect(run.status("task:assets") == "built")
        #expect((run.nodes["task:assets"]?["reason"] as? String)?.hasPrefix("output missing") == true)
        // Same bytes again, so what reads web/dist is up to date and does not run.
        #expect(run.status("task:check") == "cached")
        #expect(runs(dir, "assets") == 2 && runs(dir, "check") == 1)
    }

    @Test func aFailingTaskBlocksOnlyItsDependents() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("wbuild.json", """
        { name: "f", tasks: {
            bad: { cmd: "echo first line; echo 'it broke' >&2; exit 3" },
            after: { cmd: "true", dependsOn: ["bad"] },
            later: { cmd: "true", dependsOn: ["after"] },
            fine: { cmd: "echo fine > fine.txt" },
        } }
        """)
        let run = try WBuildBinary.run(["once", "--json"], in: dir.path)
        #expect(run.exitCode == 1)
        #expect(run.status("task:bad") == "failed")
        #expect(run.status("task:after") == "blocked")
        #expect(run.status("task:later") == "blocked")
        #expect(run.status("task:fine") == "built")
        #expect((run.nodes["task:bad"]?["tail"] as? [String])?.contains("it broke") == true)
        #expect(run.nodes["task:after"]?["reason"] as? String == "blocked by failed input: task:bad")
        let human = try WBuildBinary.run(["once"], in: dir.path)
        #expect(human.exitCode == 1)
        #expect(human.stdout.contains("task:bad"))
        #expect(human.stdout.contains("it broke"))
    }

    @Test func aCycleIsExitTwoAndPrintsTheCycle() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("wbuild.json", """
        { name: "c", tasks: { a: { cmd: "true", dependsOn: ["b"] }, b: { cmd: "true", dependsOn: ["a"] } } }
        """)
        let run = try WBuildBinary.run(["once"], in: dir.path)
        #expect(run.exitCode == 2)
        #expect(run.stderr.contains("task:a → task:b → task:a") || run.stderr.contains("task:b → task:a → task:b"), "\(run.stderr)")
    }

    @Test func aBadKeyIsExitTwoWithItsPathAndASuggestion() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("wbuild.json", """
        { name: "k", tasks: { assets: { cmd: "true", inputz: ["src/**"] } } }
        """)
        let run = try WBuildBinary.run(["once"], in: dir.path)
        #expect(run.exitCode == 2)
        #expect(run.stderr.contains("tasks.assets.inputz"), "\(run.stderr)")
        #expect(run.stderr.contains("inputs"), "\(run.stderr)")
        #expect(run.stderr.contains("wbuild.json:1:"), "\(run.stderr)")
    }

    @Test func aMissingProjectFileSaysWhereItLooked() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let run = try WBuildBinary.run(["once"], in: dir.path)
        #expect(run.exitCode == 2)
        #expect(run.stderr.contains(dir.path + "/wbuild.json"), "\(run.stderr)")
    }

    @Test func aCorruptStateFileIsDiscardedWithAWarning() throws {
        let (dir, project) = try makeProject()
        defer { dir.remove() }
        _ = try WBuildBinary.run(["once"], in: project)
        let statePath = dir.url("p/.wbuild/state.json")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: statePath))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: statePath))
        let run = try WBuildBinary.run(["once", "--json"], in: project)
        #expect(run.exitCode == 0)
        #expect(run.jsonLines.contains { $0["type"] as? String == "warning" && ($0["message"] as? String)?.contains("corrupt") == true })
        // Nothing trusted: every task was checked again. Outputs are still there, so assets is
        // re-run (no record) and produces the same bytes.
        #expect(run.status("task:assets") == "built")
    }

    @Test func targetsRunOnlyWhatTheyNeed() throws {
        let (dir, project) = try makeProject()
        defer { dir.remove() }
        let run = try WBuildBinary.run(["once", "--json", "check"], in: project)
        #expect(run.exitCode == 0)
        #expect(Set(run.nodes.keys) == ["source:assets", "task:assets", "source:check", "task:check"])
        #expect(runs(dir, "docs") == 0)
        let unknown = try WBuildBinary.run(["once", "chek"], in: project)
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr.contains("task:check"))
    }

    @Test func forceRerunsUpToDateTasks() throws {
        let (dir, project) = try makeProject()
        defer { dir.remove() }
        _ = try WBuildBinary.run(["once"], in: project)
        let run = try WBuildBinary.run(["once", "--force", "--json", "docs"], in: project)
        #expect(run.nodes["task:docs"]?["reason"] as? String == "forced")
        #expect(runs(dir, "docs") == 2)
    }

    @Test func graphShowsStatesInEveryFormat() throws {
        let (dir, project) = try makeProject()
        defer { dir.remove() }
        let before = try WBuildBinary.run(["graph"], in: project)
        #expect(before.exitCode == 0)
        #expect(before.stdout.contains("task:assets  [never run]"))
        _ = try WBuildBinary.run(["once"], in: project)
        let text = try WBuildBinary.run(["graph"], in: project)
        #expect(text.stdout.contains("task:check  [built]"))
        #expect(text.stdout.contains("← source:check"))
        let dot = try WBuildBinary.run(["graph", "--format", "dot"], in: project)
        #expect(dot.stdout.contains("\"task:assets\" -> \"source:check\";"))
        let json = try WBuildBinary.run(["graph", "--format", "json"], in: project)
        let object = try #require(json.jsonLines.first)
        let nodes = try #require(object["nodes"] as? [[String: Any]])
        #expect(nodes.contains { $0["id"] as? String == "source:check" && ($0["inputs"] as? [String]) == ["task:assets"] })
        let bad = try WBuildBinary.run(["graph", "--format", "svg"], in: project)
        #expect(bad.exitCode == 2)
    }

    @Test func helpAndUsageErrors() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let help = try WBuildBinary.run(["--help"], in: dir.path)
        #expect(help.exitCode == 0 && help.stdout.contains("once"))
        let onceHelp = try WBuildBinary.run(["help", "once"], in: dir.path)
        #expect(onceHelp.exitCode == 0 && onceHelp.stdout.contains("--jobs"))
        let badFlag = try WBuildBinary.run(["once", "--jbos", "2"], in: dir.path)
        #expect(badFlag.exitCode == 2 && badFlag.stderr.contains("did you mean --jobs?"))
        let badJobs = try WBuildBinary.run(["once", "-j", "0"], in: dir.path)
        #expect(badJobs.exitCode == 2)
    }
}
