import Testing
import Glibc
@testable import WBuildSystem
import WBuildTestSupport

@Suite struct ChildProcessLaunchTests {
    @Test func environmentAndDirectoryAreApplied() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let launch = ProcessLaunch(.shell("echo \"$WBUILD_TEST_GREETING\"; pwd; echo \"${HOME:+home-inherited}\""),
                                   directory: dir.path, environment: ["WBUILD_TEST_GREETING": "hello there"])
        let (status, output) = try await run(launch)
        #expect(status == .exited(0))
        #expect(output.lines(.stdout) == ["hello there", dir.path, "home-inherited"])
    }

    @Test func argvSearchesThePathOfTheLaunchEnvironment() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let tool = try dir.write("bin/wbuild-test-tool", "#!/bin/sh\necho tool ran with $1\n")
        #expect(chmod(tool, 0o755) == 0)
        let launch = ProcessLaunch(.argv(["wbuild-test-tool", "x"]), environment: ["PATH": dir.url("bin") + ":/usr/bin:/bin"])
        let (status, output) = try await run(launch)
        #expect(status == .exited(0))
        #expect(output.lines(.stdout) == ["tool ran with x"])
    }

    @Test func missingExecutableIsCommandNotFound() throws {
        let launch = ProcessLaunch(.argv(["mkae-wbuild-missing", "assets"]))
        let error = try #require(throws: ProcessError.self) { try ChildProcess.spawn(launch) }
        #expect(error.code == .commandNotFound)
        #expect(error.description.hasPrefix("command not found: `mkae-wbuild-missing`"))
        #expect(error.description.contains("check the task's cmd"))
    }

    @Test func missingExecutablePathIsCommandNotFound() throws {
        let launch = ProcessLaunch(.argv(["/nonexistent-wbuild/tool"]))
        let error = try #require(throws: ProcessError.self) { try ChildProcess.spawn(launch) }
        #expect(error.code == .commandNotFound)
        #expect(error.errno == .noSuchFile)
    }

    @Test func fileWithoutExecutePermissionIsPermissionDenied() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let script = try dir.write("script.sh", "echo hi\n")
        let error = try #require(throws: ProcessError.self) { try ChildProcess.spawn(ProcessLaunch(.argv([script]))) }
        #expect(error.code == .permissionDenied)
        #expect(error.description.contains("chmod +x"))
    }

    @Test func executableInAnUnknownFormatIsSpawnFailed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let program = try dir.write("garbage", "\u{7F}not an executable format\n")
        #expect(chmod(program, 0o755) == 0)
        let error = try #require(throws: ProcessError.self) { try ChildProcess.spawn(ProcessLaunch(.argv([program]))) }
        #expect(error.code == .spawnFailed)
        #expect(error.errno == Errno(rawValue: ENOEXEC))
        #expect(error.description.contains(program))
    }

    @Test func missingDirectoryIsReportedWithItsPath() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let missing = dir.url("not-here")
        let error = try #require(throws: ProcessError.self) {
            try ChildProcess.spawn(ProcessLaunch(.shell("true"), directory: missing))
        }
        #expect(error.code == .directoryNotFound)
        #expect(error.directory == missing)
        #expect(error.description.hasPrefix("directory does not exist: \(missing)"))
    }

    @Test func directoryThatIsAFileIsNotADirectory() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("file", "")
        let error = try #require(throws: ProcessError.self) {
            try ChildProcess.spawn(ProcessLaunch(.shell("true"), directory: file))
        }
        #expect(error.code == .notADirectory)
    }

    @Test func emptyArgvIsRejected() throws {
        let error = try #require(throws: ProcessError.self) { try ChildProcess.spawn(ProcessLaunch(.argv([]))) }
        #expect(error.code == .emptyCommand)
    }

    @Test func commandDescriptionQuotesArguments() {
        #expect(ProcessCommand.argv(["echo", "a b", "it's"]).description == "echo 'a b' 'it'\\''s'")
        #expect(ProcessCommand.shell("make assets").description == "make assets")
    }
}
