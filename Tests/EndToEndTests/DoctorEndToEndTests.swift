import Foundation
import Testing
import WBuildTestSupport

@Suite struct DoctorEndToEndTests {
    @Test func allGoodIsExitZeroWithEachCheckNamed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("wbuild.json", "{ name: \"doc\", tasks: { t: { cmd: \"true\" } } }")
        let run = try WBuildBinary.run(["doctor", "--json"], in: dir.path)
        #expect(run.exitCode == 0, "\(run.stdout)")
        let names = run.jsonLines.compactMap { $0["name"] as? String }
        #expect(names.contains("engine API") && names.contains("storage driver") && names.contains("inotify watches"))
        // The helpers wbuild copies into containers are found beside it.
        let helpers = run.jsonLines.filter { ["wbuild-init", "wbuild-door"].contains($0["name"] as? String) }
        #expect(helpers.count == 2 && helpers.allSatisfy { $0["outcome"] as? String == "ok" }, "\(helpers)")
    }

    @Test func aMissingEngineIsExitThreeWithAFix() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let run = try WBuildBinary.run(["doctor"], in: dir.path, environment: ["DOCKER_HOST": "unix:///nonexistent/engine.sock"])
        #expect(run.exitCode == 3)
        #expect(run.stdout.contains("✗ engine socket: /nonexistent/engine.sock does not exist"))
        #expect(run.stdout.contains("fix: install the engine"))
    }
}
