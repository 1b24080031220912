import Testing
import WBuild
import WBuildTestSupport

/// A cycle through task outputs (a's outputs inside b's inputs and back) is reported at the
/// `outputs` entry that makes it, with its line and column and the cycle spelled out.
@Suite struct OutputCycleTests {
    @Test func aCycleThroughOutputsNamesTheEntryThatMakesIt() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("wbuild.json", """
        { name: "loop", tasks: {
          a: { cmd: "true", inputs: ["a-in/**"],
               outputs: ["b-in/gen"] },
          b: { cmd: "true", inputs: ["b-in/**"],
               outputs: ["a-in/gen"] },
        } }
        """)
        do {
            _ = try Engine.load(projectFile: dir.url("wbuild.json"))
            Issue.record("a cycle through outputs loaded")
        } catch {
            #expect(error.exitCode == 2)
            let file = dir.url("wbuild.json")
            let atA = "\(file):3:18: tasks.a.outputs[0]: dependency cycle through task outputs: "
            let atB = "\(file):5:18: tasks.b.outputs[0]: dependency cycle through task outputs: "
            #expect(error.message.hasPrefix(atA) || error.message.hasPrefix(atB), "\(error.message)")
            let cycles = ["task:a → source:a → task:b → source:b → task:a", "task:b → source:b → task:a → source:a → task:b",
                          "source:a → task:b → source:b → task:a → source:a", "source:b → task:a → source:a → task:b → source:b"]
            #expect(cycles.contains { error.message.contains($0) }, "\(error.message)")
            #expect(error.message.contains("which is inside tasks."), "\(error.message)")
        }
    }

    @Test func outputsFeedingAnotherTaskWithoutACycleLoad() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("wbuild.json", """
        { name: "chain", tasks: {
          a: { cmd: "true", inputs: ["src/**"], outputs: ["gen/out"] },
          b: { cmd: "true", inputs: ["gen/**"], outputs: ["dist"] },
        } }
        """)
        let engine = try Engine.load(projectFile: dir.url("wbuild.json"))
        #expect(engine.graphReport().text.contains("task:b"))
    }
}
