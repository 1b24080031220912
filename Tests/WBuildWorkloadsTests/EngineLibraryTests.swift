import Foundation
import Synchronization
import Testing
import WBuild
import WBuildTestSupport

/// The library as a compiler's preflight phase uses it: load, once, read typed results and events.
@Suite struct EngineLibraryTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var sink: EventSink {
            EventSink { event in
                if case .log(let id, _, let line) = event { self.lines.withLock { $0.append("\(id.name): \(line)") } }
            }
        }
    }

    @Test func onceGivesTypedResultsAndStreamsLogs() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("wbuild.json", """
        { name: "lib", tasks: {
            gen: { cmd: "mkdir -p out && echo generated > out/file && echo done", inputs: ["in/**"], outputs: ["out"] },
            broken: { cmd: ["sh", "-c", "exit 5"] },
        } }
        """)
        try dir.write("in/a", "a")
        let lines = Lines()
        let engine = try Engine.load(projectFile: dir.url("wbuild.json"), events: lines.sink)
        let first = try await engine.once(OnceOptions(targets: ["gen"]))
        #expect(first.ok)
        #expect(first.node("task:gen")?.status == .built)
        #expect(first.node("task:gen")?.reason == .neverBuilt)
        #expect(first.node("task:broken") == nil)  // not a target
        #expect(lines.lines.withLock { $0 } == ["gen: done"])
        #expect(try String(contentsOfFile: dir.url("out/file"), encoding: .utf8) == "generated\n")

        let all = try await engine.once()
        #expect(!all.ok)
        #expect(all.node("task:gen")?.status == .cached)
        #expect(all.node("task:broken")?.failure?.message.contains("exit code 5") == true)
        guard case .object(let pairs) = all.json else { Issue.record("result is not an object"); return }
        #expect(pairs.first?.0 == "type")
    }

    @Test func loadErrorsCarryExitCodesAndEveryDiagnostic() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("wbuild.json", "{ name: \"x\", tasks: { a: { cmd: 3, inputs: \"nope\" } } }")
        do {
            _ = try Engine.load(projectFile: dir.url("wbuild.json"))
            Issue.record("expected a project-file error")
        } catch {
            #expect(error.kind == .projectFile)
            #expect(error.exitCode == 2)
            #expect(error.message.contains("tasks.a.cmd"))
            #expect(error.message.contains("tasks.a.inputs"))
        }
    }
}
