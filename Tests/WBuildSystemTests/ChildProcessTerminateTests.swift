import WBuildTestSupport
import Testing
import Glibc
@testable import WBuildSystem

@Suite struct ChildProcessTerminateTests {
    @Test func processThatHandlesTermExitsOnItsOwn() async throws {
        let output = OutputCollector()
        let child = try ChildProcess.spawn(
            ProcessLaunch(.shell("trap 'echo got-term; exit 7' TERM; echo ready; sleep 100 & wait")),
            output: output.handler)
        #expect(await output.waitForLine("ready"))
        // A grace far longer than the deadline: only the SIGTERM path can finish in time.
        let status = await withDeadline(.seconds(30)) { await child.terminate(grace: .seconds(120)) }
        #expect(status == .exited(7))
        #expect(output.lines(.stdout).contains("got-term"))
    }

    @Test func processThatIgnoresTermGetsKilledAfterGrace() async throws {
        let output = OutputCollector()
        let child = try ChildProcess.spawn(ProcessLaunch(.shell("trap '' TERM; echo ready; sleep 100")), output: output.handler)
        #expect(await output.waitForLine("ready"))
        let status = await withDeadline(.seconds(30)) { await child.terminate(grace: .milliseconds(200)) }
        #expect(status == .signaled(SIGKILL))
    }

    @Test func terminateKillsGrandchildren() async throws {
        let output = OutputCollector()
        let child = try ChildProcess.spawn(ProcessLaunch(.shell("sleep 100 & echo bg=$!; sleep 100")), output: output.handler)
        let group = ProcessGroup(id: child.pid)
        // The shell, the background sleep and the foreground sleep.
        #expect(await eventually { group.runningMembers().count >= 3 && !output.lines(.stdout).isEmpty })
        let members = group.runningMembers()
        let background = output.lines(.stdout).first.flatMap { pid_t($0.dropFirst(3)) }
        #expect(background.map(members.contains) == true)

        let status = await child.terminate(grace: .seconds(10))
        #expect(status == .signaled(SIGTERM))
        for pid in members {
            #expect(await eventually { !isRunning(pid) }, "pid \(pid) still runs")
        }
    }

    @Test func membersThatIgnoreTermAreKilledAfterTheLeaderExits() async throws {
        let output = OutputCollector()
        let child = try ChildProcess.spawn(
            ProcessLaunch(.shell("(trap '' TERM; echo straggler=$(exec sh -c 'echo $PPID'); sleep 100) & wait")),
            output: output.handler)
        #expect(await eventually { output.lines(.stdout).contains { $0.hasPrefix("straggler=") } })
        let straggler = try #require(output.lines(.stdout).first.flatMap { pid_t($0.dropFirst("straggler=".count)) })
        #expect(isRunning(straggler))
        let status = await withDeadline(.seconds(30)) { await child.terminate(grace: .milliseconds(300)) }
        // The leader obeyed SIGTERM; the subshell that ignores it got SIGKILL after the grace.
        #expect(status == .signaled(SIGTERM))
        #expect(await eventually { !isRunning(straggler) })
    }

    @Test func terminateIsIdempotentAndSafeAfterExit() async throws {
        let child = try ChildProcess.spawn(ProcessLaunch(.shell("exit 5")))
        #expect(await child.wait() == .exited(5))
        #expect(await child.terminate(grace: .milliseconds(100)) == .exited(5))
        #expect(await child.terminate(grace: .milliseconds(100)) == .exited(5))
    }

    @Test func concurrentTerminatesShareOneResult() async throws {
        let output = OutputCollector()
        let child = try ChildProcess.spawn(ProcessLaunch(.shell("echo ready; sleep 100")), output: output.handler)
        #expect(await output.waitForLine("ready"))
        async let first = child.terminate(grace: .seconds(10))
        async let second = child.terminate(grace: .seconds(10))
        let statuses = await [first, second]
        #expect(statuses == [.signaled(SIGTERM), .signaled(SIGTERM)])
    }

    @Test func terminateAfterExitStopsWhatTheProcessLeftBehind() async throws {
        let output = OutputCollector()
        let child = try ChildProcess.spawn(
            ProcessLaunch(.shell("sleep 100 & echo bg=$!"), outputDrainTimeout: .milliseconds(100)),
            output: output.handler)
        #expect(await child.wait() == .exited(0))
        let background = try #require(output.lines(.stdout).first.flatMap { pid_t($0.dropFirst(3)) })
        #expect(isRunning(background))
        #expect(await child.terminate(grace: .seconds(10)) == .exited(0))
        #expect(await eventually { !isRunning(background) })
    }
}
