import WBuildTestSupport
import Foundation
import Synchronization
import Testing
import WBuildCore
import WBuildDocker
import WBuildSpec
@testable import WBuildWorkloads

@Suite("WorkloadRuntime replaces without going dark")
struct ReplaceTests {
    @Test func replacingAReadyWorkloadKeepsItAnsweringAtTheSameAddress() async throws {
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
            // And the host asks the workload's URL all the while, with a new connection each time.
            let url = try #require(first.urls.first)
            let host = HostPoller(url: url)

            let answeredBeforeSwap = try await answers(harness).count
            let second = try await harness.up("web", in: [v2, client])
            #expect(second.replicas.count == 1)
            #expect(second.replicas.first?.containerID != first.replicas.first?.containerID)
            #expect(second.urls == first.urls, "the workload's URL stays across a replacement")
            let answeredBeforeSwapEnded = try await answers(harness).count
            #expect(try await eventually {
                try await answers(harness).dropFirst(answeredBeforeSwapEnded).filter { $0 == "version-2" }.count >= 5
            })
            let fromHost = await host.stop()

            // Not one request failed or hung, from the network or from the host.
            let seen = Array(try await answers(harness).dropFirst(answeredBeforeSwap))
            #expect(!seen.contains { !$0.hasPrefix("version-") }, "\(seen.filter { !$0.hasPrefix("version-") })")
            #expect(fromHost.count >= 10 && fromHost.allSatisfy { $0.hasPrefix("version-") }, "\(fromHost)")
            #expect(fromHost.last == "version-2", "\(fromHost.suffix(3))")
            let lastAnswers = seen.suffix(5)
            #expect(lastAnswers.allSatisfy { $0 == "version-2" }, "\(lastAnswers)")
            // The old container is gone; the front door is the same one.
            let left = try await harness.labelledContainers().filter { $0.labels[ContainerLabels.workload] == "web" }
            #expect(left.filter { ContainerLabels.isReplica($0.labels) }.map(\.id) == second.replicas.map(\.containerID))
            #expect(left.filter { ContainerLabels.isDoor($0.labels) }.count == 1)
        }
    }

    @Test func aFixedHostPortKeepsAnsweringAcrossAReplacement() async throws {
        try await RuntimeHarness.with { harness in
            let port = try freeLoopbackPort()
            var v1 = webWorkload("web", page: "fixed-1")
            v1.ports = [PortSpec(name: "http", container: 8080, host: port, protocol: .http)]
            var v2 = v1
            v2.command = ["mkdir -p /w && echo fixed-2 > /w/index.html && exec httpd -f -p 8080 -h /w"]
            let first = try await harness.up("web", in: [v1])
            #expect(first.urls == ["http://127.0.0.1:\(port)"])
            let host = HostPoller(url: "http://127.0.0.1:\(port)/")
            let second = try await harness.up("web", in: [v2])
            #expect(second.urls == ["http://127.0.0.1:\(port)"])
            let fromHost = await host.stop()
            #expect(fromHost.count >= 5 && fromHost.allSatisfy { $0.hasPrefix("fixed-") }, "\(fromHost)")
            #expect(await httpGet("http://127.0.0.1:\(port)/")?.body.contains("fixed-2") == true)
        }
    }

    @Test func aRestartingReplicaHoldsRequestsInsteadOfRefusingThem() async throws {
        try await RuntimeHarness.with { harness in
            let web = webWorkload("web", page: "steady")
            let state = try await harness.up("web", in: [web])
            let url = try #require(state.urls.first)
            let host = HostPoller(url: url)
            #expect(await eventually { host.count >= 3 })
            try await harness.runtime.restart(workload: "web")
            try await harness.runtime.waitReady(workload: "web", timeout: .seconds(10))
            let askedBeforeReady = host.count
            #expect(await eventually { host.count >= askedBeforeReady + 3 }, "asked again after the restart")
            let fromHost = await host.stop()
            #expect(fromHost.count >= 5 && fromHost.allSatisfy { $0 == "steady" }, "\(fromHost)")
            let after = try #require(try await harness.runtime.status().first)
            #expect(after.replicas.first?.restarts == 1)
        }
    }

    @Test func aFrontDoorTheEngineRestartsIsToldItsReplicasAgain() async throws {
        try await RuntimeHarness.with { harness in
            let web = webWorkload("web", page: "still-here")
            try await harness.up("web", in: [web])
            let door = try #require(try await harness.labelledContainers().first { ContainerLabels.isDoor($0.labels) })
            // A restarted door knows no backends: without wbuild telling it again it would hold
            // each connection 5 s and close it. (Its engine-chosen host port is a new one.)
            try await harness.client.restartContainer(door.id, timeout: 1)
            let url = try #require(try await harness.runtime.status().first?.urls.first)
            let answer = await httpGet(url)
            #expect(answer?.body.contains("still-here") == true, "\(String(describing: answer))")
        }
    }

    @Test func theFrontDoorSpreadsConnectionsOverTheReadyReplicas() async throws {
        try await RuntimeHarness.with { harness in
            // Each replica answers with its own host name.
            var web = webWorkload("web", page: "$(hostname)")
            web.replicas = 2
            let state = try await harness.up("web", in: [web])
            let url = try #require(state.urls.first)
            var answers: Set<String> = []
            for _ in 0..<10 {
                if let body = await httpGet(url)?.body { answers.insert(body.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
            let hostnames = Set(state.replicas.map { String($0.containerID.prefix(12)) })
            #expect(answers == hostnames, "answers \(answers), replicas \(hostnames)")
        }
    }

    @Test func changedPortsGetANewFrontDoorQuietly() async throws {
        try await RuntimeHarness.with { harness in
            let v1 = webWorkload("web", page: "ported")
            let first = try await harness.up("web", in: [v1])
            let door1 = try #require(try await harness.labelledContainers().first { ContainerLabels.isDoor($0.labels) })
            let port = try freeLoopbackPort()
            var v2 = v1
            v2.ports = [PortSpec(name: "http", container: 8080, host: port, protocol: .http)]
            let second = try await harness.up("web", in: [v2])
            #expect(second.urls == ["http://127.0.0.1:\(port)"] && second.urls != first.urls)
            #expect(await httpGet("http://127.0.0.1:\(port)/")?.body.contains("ported") == true)
            let doors = try await harness.labelledContainers().filter { ContainerLabels.isDoor($0.labels) }
            #expect(doors.count == 1 && doors.first?.id != door1.id)
            let warnings = harness.recorder.events.compactMap { event -> String? in
                if case .warning(let message) = event { return message }
                return nil
            }
            #expect(warnings.isEmpty, "\(warnings)")
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
            let left = try await harness.replicaContainers()
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

/// Asks `url` from the host over and over, a new connection each time, until `stop`: each
/// answer's body (trimmed), or `FAILED` when there was none or it was not a 200.
final class HostPoller: Sendable {
    private let answers = Mutex<[String]>([])
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(url: String) {
        let polling = Task { [self] in
            while !Task.isCancelled {
                let answer = await httpGet(url)
                let text = answer.flatMap { $0.status == 200 ? $0.body.trimmingCharacters(in: .whitespacesAndNewlines) : nil }
                answers.withLock { $0.append(text ?? "FAILED") }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        task.withLock { $0 = polling }
    }

    /// How many answers so far.
    var count: Int { answers.withLock { $0.count } }

    /// Stops asking; every answer, in order.
    func stop() async -> [String] {
        let polling = task.withLock { $0 }
        polling?.cancel()
        await polling?.value
        return answers.withLock { $0 }
    }
}
