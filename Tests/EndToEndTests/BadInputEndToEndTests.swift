import Foundation
import Testing
import WBuildTestSupport

/// Bad input on the real binary: a usage or project-file error, exit 2, saying what was
/// expected — never a crash (`--timeout inf` and a registry port of 99999 used to trap).
@Suite struct BadInputEndToEndTests {
    /// A trap shows as a signal (not exit 2) and the runtime's crash report on stderr.
    static func expectNoCrash(_ run: WBuildBinary.Run) {
        #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("crashed"), "\(run.stderr)")
    }

    @Test(arguments: ["inf", "nan", "1e300", "-1", "99999999999999999999", "0"])
    func aTimeoutThatIsNotSecondsIsExitTwo(_ value: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let run = try WBuildBinary.run(["up", "--timeout", value], in: dir.path)
        #expect(run.exitCode == 2, "\(run.stderr)")
        #expect(run.stderr.contains("wbuild up: --timeout takes a number of seconds from 0.001 to 86400 (e.g. 30 or 2.5), got `\(value)`"),
                "\(run.stderr)")
        #expect(run.stderr.contains("usage: wbuild up"))
        Self.expectNoCrash(run)
    }

    @Test(arguments: [["once", "-j", "99999999999999999999"], ["watch", "--jobs=0"], ["once", "-j-4"]])
    func jobsThatAreNotACountAreExitTwo(_ arguments: [String]) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let run = try WBuildBinary.run(arguments, in: dir.path)
        #expect(run.exitCode == 2, "\(run.stderr)")
        #expect(run.stderr.contains("--jobs takes a whole number from 1 to 1024"), "\(run.stderr)")
        Self.expectNoCrash(run)
    }

    @Test func doctorWithARegistryPortThatDoesNotFitIsExitTwo() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("wbuild.json", "{ name: \"reg\",\n  publish: { registry: \"localhost:99999/x\" } }")
        let run = try WBuildBinary.run(["doctor"], in: dir.path)
        #expect(run.exitCode == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("✗ project file: \(dir.url("wbuild.json")):2:24: publish.registry: expected a registry as host[:port][/path]"),
                "\(run.stdout)")
        #expect(run.stdout.contains("the port must be a whole number 1–65535, got `99999`"), "\(run.stdout)")
        Self.expectNoCrash(run)
    }

    @Test func aDockerfileOutsideTheProjectIsExitTwoAndNothingOfItIsPrinted() throws {
        let dir = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        defer { dir.remove(); outside.remove() }
        let secret = try outside.write("Dockerfile", "root:$6$e2e-secret-hash:19000:0:99999:7:::\n")
        try dir.write("wbuild.json", "{ name: \"df\", workloads: {\n  api: { build: { context: \".\", dockerfile: \"\(secret)\" } } } }")
        let run = try WBuildBinary.run(["once"], in: dir.path)
        #expect(run.exitCode == 2, "\(run.stderr)")
        #expect(run.stderr.contains("wbuild.json:2:45: workloads.api.build.dockerfile: the Dockerfile \"\(secret)\" is not in the project"),
                "\(run.stderr)")
        #expect(!(run.stdout + run.stderr).contains("e2e-secret-hash"))
    }

    @Test func aMalformedWatchIgnoreIsExitTwoAtItsLineAndColumn() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("wbuild.json", "{ name: \"wi\",\n  watch: { ignore: [\"node_modules\", \"build/[\"] },\n  tasks: { t: { cmd: \"true\" } } }")
        let run = try WBuildBinary.run(["once"], in: dir.path)
        #expect(run.exitCode == 2, "\(run.stderr)")
        #expect(run.stderr.contains("wbuild.json:2:37: watch.ignore[1]: malformed glob: unclosed '[' at character 7 of \"build/[\""),
                "\(run.stderr)")
    }

    @Test func aCycleThroughOutputsIsExitTwoAtTheOutputsEntry() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("wbuild.json", """
        { name: "loop", tasks: {
          a: { cmd: "true", inputs: ["x/**"], outputs: ["y/gen"] },
          b: { cmd: "true", inputs: ["y/**"], outputs: ["x/gen"] } } }
        """)
        let run = try WBuildBinary.run(["graph"], in: dir.path)
        #expect(run.exitCode == 2, "\(run.stderr)")
        #expect(run.stderr.contains("wbuild.json:2:49: tasks.a.outputs[0]: dependency cycle through task outputs:")
                || run.stderr.contains("wbuild.json:3:49: tasks.b.outputs[0]: dependency cycle through task outputs:"), "\(run.stderr)")
    }
}
