import Testing
import Glibc
@testable import WBuildSystem
import WBuildTestSupport

@Suite struct ChildProcessResourceTests {
    @Test func grandchildHoldingStdoutDoesNotHangWait() async throws {
        let output = OutputCollector()
        let child = try ChildProcess.spawn(
            ProcessLaunch(.shell("sleep 300 & echo parent-done"), outputDrainTimeout: .milliseconds(200)),
            output: output.handler)
        let status = await withDeadline(.seconds(30)) { await child.wait() }
        #expect(status == .exited(0))
        #expect(output.lines(.stdout) == ["parent-done"])
        await child.terminate(grace: .seconds(5))  // the sleep
    }

    @Test func manyConcurrentProcessesAllComplete() async throws {
        let count = 50
        let results = try await withThrowingTaskGroup(of: ProcessResult.self) { group in
            for index in 0..<count {
                group.addTask {
                    let (status, output) = try await run(ProcessLaunch(.shell("echo start-\(index); echo end-\(index); exit \(index % 7)")))
                    return ProcessResult(index: index, status: status, lines: output.lines(.stdout))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == count)
        for result in results {
            let index = result.index
            #expect(result.status == .exited(Int32(index % 7)))
            #expect(result.lines == ["start-\(index)", "end-\(index)"])
        }
    }

    /// Checks by pipe identity rather than by counting `/proc/self/fd`: tests in this process
    /// run in parallel and open descriptors of their own, but no one else can hold these pipes.
    @Test func everyDescriptorIsClosedAfterWait() async throws {
        var identities: [String] = []
        for command in ["echo out; echo err >&2", "exit 3", "printf unterminated", "sleep 100 & echo left"] {
            let child = try ChildProcess.spawn(ProcessLaunch(.shell(command), outputDrainTimeout: .milliseconds(100)))
            _ = await child.wait()
            await child.terminate(grace: .seconds(5))
            #expect(child.pipeIdentities.count == 3)
            #expect(!child.pipeIdentities.contains(""))
            identities += child.pipeIdentities
        }
        let open = Set(openDescriptorTargets())
        #expect(open.isDisjoint(with: identities), "still open: \(open.intersection(identities))")
    }

    @Test func childInheritsNoDescriptorButStdio() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.url("held-open")
        // Opened without O_CLOEXEC, as some library code does.
        let fd = open(path, O_WRONLY | O_CREAT, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        let (status, output) = try await run(ProcessLaunch(.shell("for f in /proc/$$/fd/*; do readlink \"$f\"; done; exit 0")))
        #expect(status == .exited(0))
        #expect(output.lines(.stdout).count >= 3)
        #expect(!output.lines(.stdout).contains(path))
    }

    @Test func noZombieIsLeftBehind() async throws {
        let child = try ChildProcess.spawn(ProcessLaunch(.shell("exit 0")))
        _ = await child.wait()
        #expect(ProcessTable.entry(for: child.pid) == nil)
    }
}

private struct ProcessResult: Sendable {
    var index: Int
    var status: WBuildSystem.ExitStatus
    var lines: [String]
}
