import Foundation
import Testing
import WBuildCore
import WBuildDocker
import WBuildSpec
@testable import WBuildWorkloads

@Suite("WorkloadRuntime replaces without going dark")
struct ReplaceTests {
    @Test func replacingAReadyWorkloadKeepsItAnswering() async throws {
        try await RuntimeHarness.with { harness in
            // A client on the project network asks `web` by name every 50 ms and logs each answer:
            // FAILED-1 when nobody answered (refused, unknown name), FAILED-143 when a request hung.
            let client = shellWorkload(
                "client", "while true; do timeout 3 wget -q -O - http://web:8080/ 2>&1 || echo FAILED-$?; sleep 0.05; done")
            let v1 = webWorkload("web", page: "version-1")
            let v2 = webWorkload("web", page: "version-2")
            let first = try await harness.up("web", in: [v1, client])
            try await harness.up("client", in: [v1, client])
            let answeredBeforeClientWasUp = try await answers(harness).count
            #expect(try await eventually {
                try await answers(harness).dropFirst(answeredBeforeClientWasUp).filter { $0 == "version-1" }.count >= 5
            })

            let answeredBeforeSwap = try await answers(harness).count
            let second = try await harness.up("web", in: [v2, client])
            #expect(second.replicas.count == 1)
            #expect(second.replicas.first?.containerID != first.replicas.first?.containerID)
            // While both generations are on the network either may answer; once up returned, only the new one.
            let answeredBeforeSwapEnded = try await answers(harness).count
            #expect(try await eventually {
                try await answers(harness).dropFirst(answeredBeforeSwapEnded).filter { $0 == "version-2" }.count >= 5
            })

            let seen = Array(try await answers(harness).dropFirst(answeredBeforeSwap))
            // There was always a ready server for a new request. (A request in flight to the old
            // replica at the instant it leaves the network can be cut: at most that one.)
            #expect(!seen.contains { $0.hasPrefix("FAILED") && $0 != "FAILED-143" },
                    "no server answered: \(seen.filter { !$0.hasPrefix("version-") })")
            #expect(seen.filter { $0 == "FAILED-143" }.count <= 1, "\(seen)")
            let lastAnswers = seen.filter { $0.hasPrefix("version-") }.suffix(5)
            #expect(lastAnswers.allSatisfy { $0 == "version-2" }, "\(lastAnswers)")
            // The old container is gone.
            let left = try await harness.labelledContainers().filter { $0.labels[ContainerLabels.workload] == "web" }
            #expect(left.map(\.id) == second.replicas.map(\.containerID))
        }
    }

    @Test func droppingAReplicaRemovesItsContainer() async throws {
        try await RuntimeHarness.with { harness in
            var web = webWorkload("web", page: "many")
            web.replicas = 2
            let two = try await harness.up("web", in: [web])
            #expect(two.replicas.map(\.replica) == [0, 1])
            web.replicas = 1
            let one = try await harness.up("web", in: [web])
            #expect(one.replicas.map(\.replica) == [0])
            let left = try await harness.labelledContainers()
            #expect(left.map(\.id) == one.replicas.map(\.containerID))
        }
    }

    /// The stdout lines of the `client` workload.
    private func answers(_ harness: RuntimeHarness) async throws -> [String] {
        var lines: [String] = []
        for try await line in harness.runtime.logs(workload: "client") where line.stream == .stdout {
            lines.append(line.text)
        }
        return lines
    }
}
