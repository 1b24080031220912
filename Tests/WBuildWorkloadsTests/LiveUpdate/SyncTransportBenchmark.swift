import Foundation
import Testing
import WBuildDocker
import WBuildTestSupport
@testable import WBuildWorkloads

/// Measures the two sync transports and the two process-restart paths on the same container and
/// prints the numbers (milliseconds, p50/p95); it asserts only that every edit arrived.
@Suite("Live update transport benchmark")
struct SyncTransportBenchmark {
    static let rounds = 20
    static let burstSizes = [20, 100, 500]

    @Test("supervisor channel vs engine archive: one-file edits, bursts of 20, 100 and 500 files, process restarts")
    func compareTransports() async throws {
        let client = try DockerClient()
        let image = try await LiveUpdateTestEngine.scratchImage(client)
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        let rules = project.rules()
        var bursts: [Int: LiveUpdatePlan] = [:]
        for size in Self.burstSizes {
            var changes: [ChangedFile] = []
            for index in 0..<size {
                let path = "app/burst\(size)/f\(index).txt"
                try project.directory.write(path, String(repeating: "x", count: 200) + "\(index)")
                changes.append(ChangedFile(path: path, exists: true))
            }
            bursts[size] = try project.plan(changes, rules: rules)
        }
        var report: [String] = []
        try await LiveUpdateTestEngine.withContainer(client, image: image, command: ["/busybox", "sleep", "3600"],
                                                     supervised: true) { id in
            let replica = [LiveUpdateReplica(containerID: id, supervised: true)]
            for transport in SyncTransport.allCases {
                let executor = LiveUpdateExecutor(client: client, transport: transport, largeBatchFiles: nil)
                var single: [Double] = []
                for round in 0..<Self.rounds {
                    try project.directory.write("app/edit.txt", "\(transport) \(round)")
                    let plan = try project.plan([ChangedFile(path: "app/edit.txt", exists: true)], rules: rules)
                    single.append(try await Self.measure {
                        let timeline = try await executor.apply(plan, to: replica)
                        #expect(timeline.replicas.first?.transport == transport)
                    })
                }
                #expect(try await LiveUpdateTestEngine.read("/srv/app/edit.txt", in: id, client: client, busybox: "/busybox")
                        == "\(transport) \(Self.rounds - 1)")
                var line = "sync \(transport): 1 file p50 \(Self.percentile(single, 0.5)) p95 \(Self.percentile(single, 0.95))"
                for size in Self.burstSizes {
                    guard let plan = bursts[size] else { continue }
                    var times: [Double] = []
                    for _ in 0..<5 {
                        times.append(try await Self.measure { _ = try await executor.apply(plan, to: replica) })
                    }
                    line += "; \(size) files p50 \(Self.percentile(times, 0.5))"
                }
                report.append(line)
            }
            let restarter = ProcessRestarter(client: client)
            let endpoint = try #require(try await ControlEndpoint.resolveSupervisor(containerID: id, client: client))
            var channel: [Double] = []
            var exec: [Double] = []
            for _ in 0..<10 {
                channel.append(try await Self.measure { _ = try await restarter.restart(containerID: id, endpoint: endpoint) })
                exec.append(try await Self.measure { _ = try await restarter.restart(containerID: id, endpoint: nil) })
            }
            report.append("process restart: channel p50 \(Self.percentile(channel, 0.5)) p95 \(Self.percentile(channel, 0.95)); "
                          + "docker exec ctl p50 \(Self.percentile(exec, 0.5)) p95 \(Self.percentile(exec, 0.95)) ms")
        }
        print("live-update benchmark (ms):\n  " + report.joined(separator: "\n  "))
    }

    static func measure(_ body: () async throws -> Void) async throws -> Double {
        let start = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> String {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return "-" }
        let index = min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))
        return String(format: "%.1f", sorted[index])
    }
}
