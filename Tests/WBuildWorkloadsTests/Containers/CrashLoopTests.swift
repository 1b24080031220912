import WBuildTestSupport
import Foundation
import Synchronization
import Testing
import WBuildCore
import WBuildDocker
import WBuildSpec
@testable import WBuildWorkloads

/// `up` calls a workload ready only while its replicas run, and gives up on one that keeps
/// crashing instead of waiting out its timeout.
@Suite("up and crash loops")
struct CrashLoopTests {
    @Test func aProcessThatExitsAtOnceWithoutAProbeIsNeverReady() async throws {
        try await RuntimeHarness.with { harness in
            let quitter = shellWorkload("quitter", "echo giving-up-now; exit 1")
            let failure = await #expect(throws: NodeFailure.self) {
                try await harness.up("quitter", in: [quitter], timeout: .seconds(60))
            }
            #expect(failure?.message.contains("`quitter` is crash-looping") == true, "\(failure?.message ?? "")")
            #expect(failure?.message.contains("last with code 1") == true, "\(failure?.message ?? "")")
            #expect(failure?.tail.contains { $0.contains("giving-up-now") } == true, "tail: \(failure?.tail ?? [])")
        }
    }

    @Test func aCrashLoopWithAProbeFailsUpAfterThreeCrashesNotAtItsTimeout() async throws {
        try await RuntimeHarness.with { harness in
            let crasher = shellWorkload(
                "prober", "echo listening-then-dying; httpd -f -p 8080 -h / & sleep 0.2; exit 7",
                ports: [PortSpec(container: 8080, protocol: .http)],
                readiness: ProbeSpec(check: .http(path: "/never-there", port: 8080), intervalMs: 100))
            // A timeout that would outlast the test's patience: only the crash count can end `up` in time.
            let outcome = Mutex<NodeFailure??>(nil)
            let upTask = Task {
                do {
                    try await harness.up("prober", in: [crasher], timeout: .seconds(600))
                    outcome.withLock { $0 = .some(nil) }
                } catch {
                    outcome.withLock { $0 = .some(error as? NodeFailure) }
                }
            }
            let ended = await eventually(within: .seconds(45), every: .milliseconds(100)) { outcome.withLock { $0 != nil } }
            if !ended { upTask.cancel() }
            await upTask.value
            #expect(ended, "up was still waiting after three crashes")
            let failure = try #require(outcome.withLock { $0 } ?? nil)
            #expect(failure.message.contains("exited 3 times in a row, last with code 7"), "\(failure.message)")
            #expect(failure.tail.contains { $0.contains("listening-then-dying") }, "tail: \(failure.tail)")
        }
    }

    @Test func aProcessThatKeepsRunningWithoutAProbeIsReady() async throws {
        try await RuntimeHarness.with { harness in
            let steady = shellWorkload("steady", "echo up; exec sleep 3600")
            let state = try await harness.up("steady", in: [steady])
            #expect(state.phase == .ready)
            #expect(state.replicas.first?.engineState == "running")
        }
    }
}
