import Testing
import Glibc
@testable import WBuildSystem

@Suite struct ChildProcessExitTests {
    @Test(arguments: [0, 1, 3, 127, 255] as [Int32])
    func exitCodeIsReported(code: Int32) async throws {
        let (status, _) = try await run(ProcessLaunch(.shell("exit \(code)")))
        #expect(status == .exited(code))
        #expect(status.isSuccess == (code == 0))
    }

    @Test func killedBySignalIsReported() async throws {
        let (status, _) = try await run(ProcessLaunch(.shell("kill -KILL $$")))
        #expect(status == .signaled(SIGKILL))
        #expect(status.description == "killed by SIGKILL")
    }

    @Test func descriptionsReadAsText() {
        #expect(ExitStatus.exited(3).description == "exit code 3")
        #expect(ExitStatus.signaled(SIGTERM).description == "killed by SIGTERM")
        #expect(ExitStatus.signaled(42).description == "killed by signal 42")
    }

    @Test func severalCallersWaitForTheSameExit() async throws {
        let child = try ChildProcess.spawn(ProcessLaunch(.shell("read line < /dev/null; exit 4")))
        async let first = child.wait()
        async let second = child.wait()
        let statuses = await [first, second, child.wait()]
        #expect(statuses == [.exited(4), .exited(4), .exited(4)])
        #expect(child.exitStatus == .exited(4))
    }

    @Test func aShellCommandThatIsNotFoundExits127() async throws {
        let (status, output) = try await run(ProcessLaunch(.shell("wbuild-no-such-command-7f3a")))
        #expect(status == .exited(127))
        #expect(output.lines(.stderr).contains { $0.contains("wbuild-no-such-command-7f3a") })
    }
}
