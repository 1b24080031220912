import Foundation
import Testing
import WBuildSystem
import WBuildTestSupport

/// Every input `scripts/fuzz-helpers.sh` kept (a crash, a failed check, the defects the fuzz
/// targets were written for) replays cleanly in the normal test run: every fuzz target is
/// compiled with the system C compiler as plain programs (`-DWBC_REPLAY`, AddressSanitizer and
/// UndefinedBehaviorSanitizer on) and run on `scripts/fuzz/regressions/<target>/*`.
@Suite("Helper fuzz regressions")
struct HelperFuzzRegressionTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    @Test("every kept fuzz input replays without a crash or a failed check", arguments: ["control", "door", "http"])
    func keptInputsReplay(_ target: String) async throws {
        let root = Self.packageRoot
        let inputs = try FileManager.default.contentsOfDirectory(atPath: "\(root)/scripts/fuzz/regressions/\(target)")
            .filter { !$0.hasPrefix(".") }.sorted().map { "\(root)/scripts/fuzz/regressions/\(target)/\($0)" }
        #expect(!inputs.isEmpty)
        let directory = try TemporaryDirectory(prefix: "wbuild-fuzz-replay")
        defer { directory.remove() }
        let binary = directory.url("replay-\(target)")
        let compile = try ChildProcess.spawn(ProcessLaunch(.argv([
            "/usr/bin/cc", "-g", "-O1", "-std=gnu11", "-DWBC_REPLAY", "-fsanitize=address,undefined",
            "-fno-sanitize-recover=undefined", "-I", "\(root)/Sources/HelperSupport", "-I", "\(root)/Sources/Supervisor",
            "-I", "\(root)/Sources/Router",
            "-o", binary, "\(root)/scripts/fuzz/fuzz-\(target).c",
        ])))
        let compiled = await compile.wait()
        #expect(compiled == .exited(0), "\(compile.tail.map(\.line).joined(separator: "\n"))")
        guard compiled == .exited(0) else { return }
        let replay = try ChildProcess.spawn(ProcessLaunch(.argv([binary] + inputs)))
        let replayed = await replay.wait()
        #expect(replayed == .exited(0), "\(replay.tail.map(\.line).joined(separator: "\n"))")
        #expect(replay.tail.contains { $0.line == "replayed \(inputs.count) inputs" })
    }
}
