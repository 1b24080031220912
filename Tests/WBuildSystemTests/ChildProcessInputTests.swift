import Testing
@testable import WBuildSystem
import WBuildTestSupport

@Suite struct ChildProcessInputTests {
    @Test func standardInputIsReadThenEndOfFile() async throws {
        let launch = ProcessLaunch(.shell("cat; echo end"), standardInput: Array("127.0.0.1:5000\nsecond".utf8))
        let (status, output) = try await run(launch)
        #expect(status == .exited(0))
        #expect(output.lines(.stdout) == ["127.0.0.1:5000", "secondend"])
    }

    @Test func withoutStandardInputTheChildReadsDevNull() async throws {
        let (status, output) = try await run(ProcessLaunch(.shell("wc -c")))
        #expect(status == .exited(0))
        #expect(output.lines(.stdout).map { $0.trimmingCharacters(in: .whitespaces) } == ["0"])
    }

    @Test func aChildThatDoesNotReadItsInputStillExits() async throws {
        let (status, _) = try await run(ProcessLaunch(.shell("exit 4"), standardInput: Array(repeating: 0x41, count: 4096)))
        #expect(status == .exited(4))
    }

    @Test func inputOverThePipeLimitIsRefused() throws {
        let launch = ProcessLaunch(.shell("cat"), standardInput: Array(repeating: 0x41, count: ProcessLaunch.maximumStandardInput + 1))
        let error = try #require(throws: ProcessError.self) { try ChildProcess.spawn(launch) }
        #expect(error.code == .pipeFailed)
        #expect(error.detail?.contains("4097 bytes") == true)
    }
}
