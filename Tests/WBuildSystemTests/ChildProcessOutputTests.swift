import Testing
@testable import WBuildSystem

@Suite struct ChildProcessOutputTests {
    @Test func stdoutLinesArriveInOrder() async throws {
        let (status, output) = try await run(ProcessLaunch(.shell("for i in 1 2 3 4 5; do echo line-$i; done")))
        #expect(status == .exited(0))
        #expect(output.lines(.stdout) == ["line-1", "line-2", "line-3", "line-4", "line-5"])
        #expect(output.lines(.stderr).isEmpty)
    }

    @Test func stderrIsSeparatedFromStdout() async throws {
        let (status, output) = try await run(ProcessLaunch(.shell("echo out-1; echo err-1 >&2; echo out-2; echo err-2 >&2")))
        #expect(status == .exited(0))
        #expect(output.lines(.stdout) == ["out-1", "out-2"])
        #expect(output.lines(.stderr) == ["err-1", "err-2"])
    }

    @Test func unterminatedFinalLineIsDelivered() async throws {
        let (_, output) = try await run(ProcessLaunch(.shell("printf 'first\\nno newline'; printf 'partial' >&2")))
        #expect(output.lines(.stdout) == ["first", "no newline"])
        #expect(output.lines(.stderr) == ["partial"])
    }

    @Test func invalidUTF8IsRepaired() async throws {
        let (status, output) = try await run(ProcessLaunch(.shell("printf 'a\\377b\\n'")))
        #expect(status == .exited(0))
        #expect(output.lines(.stdout) == ["a\u{FFFD}b"])
    }

    @Test func veryLongLineIsSplitIntoPieces() async throws {
        let (_, output) = try await run(ProcessLaunch(.shell("head -c 200000 /dev/zero | tr '\\0' a; echo; echo after")))
        let lines = output.lines(.stdout)
        #expect(lines.map(\.utf8.count) == [65536, 65536, 65536, 200000 - 3 * 65536, 5])
        #expect(lines.last == "after")
    }

    @Test func largeOutputArrivesComplete() async throws {
        let (status, output) = try await run(ProcessLaunch(.shell("seq 1 200000; seq 1 50000 >&2")))
        #expect(status == .exited(0))
        let stdout = output.lines(.stdout)
        #expect(stdout.count == 200000)
        #expect(stdout.first == "1")
        #expect(stdout.last == "200000")
        #expect(output.lines(.stderr).count == 50000)
    }

    @Test func argvRunsWithoutAShell() async throws {
        let (status, output) = try await run(ProcessLaunch(.argv(["echo", "$HOME", "a b"])))
        #expect(status == .exited(0))
        #expect(output.lines(.stdout) == ["$HOME a b"])
    }

    @Test func tailKeepsTheLastLines() async throws {
        let child = try ChildProcess.spawn(ProcessLaunch(.shell("seq 1 100; echo oops >&2"), tailLineCount: 3))
        #expect(await child.wait() == .exited(0))
        #expect(child.tail == [
            OutputChunk(stream: .stdout, line: "99"),
            OutputChunk(stream: .stdout, line: "100"),
            OutputChunk(stream: .stderr, line: "oops"),
        ])
    }
}
