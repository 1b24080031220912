import WBuildTestSupport
import Foundation
import Testing
import WBuildCore
import WBuildDocker
import WBuildSpec
@testable import WBuildWorkloads

@Suite("WorkloadRuntime logs")
struct LogsTests {
    @Test func linesArePrefixedAndStreamsKeptApart() async throws {
        try await RuntimeHarness.with { harness in
            let talker = shellWorkload("talker", "echo to-stdout; echo to-stderr >&2; exec sleep 600")
            try await harness.up("talker", in: [talker])
            var lines: [WorkloadLogLine] = []
            #expect(try await eventually {
                lines = []
                for try await line in harness.runtime.logs(workload: "talker") { lines.append(line) }
                return lines.count >= 2
            })
            #expect(lines.contains { $0.text == "to-stdout" && $0.stream == .stdout && $0.prefix == "talker[0]" })
            #expect(lines.contains { $0.text == "to-stderr" && $0.stream == .stderr })
        }
    }

    @Test func followingSurvivesAReplacement() async throws {
        try await RuntimeHarness.with { harness in
            let v1 = shellWorkload("talker", "while true; do echo generation-$GEN; sleep 0.2; done", env: [KeyValuePair("GEN", "1")])
            let v2 = shellWorkload("talker", "while true; do echo generation-$GEN; sleep 0.2; done", env: [KeyValuePair("GEN", "2")])
            try await harness.up("talker", in: [v1])
            let seen = try await withThrowingTaskGroup(of: Set<String>.self) { group in
                group.addTask {
                    var texts = Set<String>()
                    for try await line in harness.runtime.logs(workload: "talker", follow: true) {
                        texts.insert(line.text)
                        if texts.contains("generation-2") { break }
                    }
                    return texts
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(30))
                    return []
                }
                #expect(try await eventually { try await harness.runtime.status().first?.replicas.count == 1 })
                try await harness.up("talker", in: [v2])
                let first = try await group.next() ?? []
                group.cancelAll()
                return first
            }
            #expect(seen.contains("generation-1"))
            #expect(seen.contains("generation-2"))
        }
    }

    @Test func forwardedLogsBecomeEventsOfTheWorkloadNode() async throws {
        try await RuntimeHarness.with { harness in
            let talker = shellWorkload("talker", "echo hello-events; echo oops >&2; exec sleep 600")
            try await harness.up("talker", in: [talker])
            let forwarding = harness.runtime.forwardLogs(workload: "talker")
            defer { forwarding.cancel() }
            func logged() -> [(String, LogStream, String)] {
                harness.recorder.events.compactMap { event in
                    if case .log(let id, let stream, let text) = event { return (id.description, stream, text) }
                    return nil
                }
            }
            #expect(await eventually { logged().contains { $0.0 == "workload:talker" && $0.1 == .stdout && $0.2 == "[0] hello-events" } })
            #expect(await eventually { logged().contains { $0.1 == .stderr && $0.2 == "[0] oops" } })
        }
    }
}
