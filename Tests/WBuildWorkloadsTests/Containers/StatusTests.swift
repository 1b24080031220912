import WBuildTestSupport
import Foundation
import Testing
import WBuildCore
import WBuildDocker
import WBuildSpec
@testable import WBuildWorkloads

@Suite("WorkloadRuntime.status from another wbuild process")
struct StatusTests {
    @Test func anotherRuntimeSeesURLsAndProbesReadiness() async throws {
        try await RuntimeHarness.with { harness in
            let web = webWorkload("web", page: "status", readiness: ProbeSpec(check: .http(path: "/alive.html", port: 8080), intervalMs: 100))
            var debugged = web
            debugged.debug = DebugSpec(port: 9229)
            let state = try await harness.up("web", in: [debugged])
            // A separate wbuild (`wbuild status`) knows only the project name.
            let observer = WorkloadRuntime(project: harness.project, client: harness.client)
            let seen = try #require(try await observer.status().first)
            #expect(seen.workload == "web")
            #expect(seen.phase == .ready)
            #expect(seen.fingerprint == state.fingerprint)
            #expect(seen.urls == state.urls)
            #expect(seen.replicas.first?.health == "passing")
            #expect(seen.replicas.first?.debugger?.hasPrefix("127.0.0.1:") == true)

            let id = try #require(state.replicas.first?.containerID)
            _ = try await harness.exec(id, ["rm", "/w/alive.html"])
            let failing = try #require(try await observer.status().first)
            #expect(failing.phase == .unhealthy)
            #expect(failing.replicas.first?.health == "failing")
        }
    }

    @Test func anotherProcessSeesACrashLoopWithItsRestartsAndLastExitCode() async throws {
        try await RuntimeHarness.with { harness in
            // Up once it has run for a second; then it exits 4 every two seconds and is restarted.
            let crasher = shellWorkload("crasher", "echo starting; sleep 2; exit 4")
            try await harness.up("crasher", in: [crasher])
            #expect(await eventually(within: .seconds(30)) { harness.details("crash-looping").count >= 2 })
            // `wbuild status` in another terminal, between two restarts.
            let observer = WorkloadRuntime(project: harness.project, client: harness.client)
            var seen: WorkloadState?
            let sawLoop = try await eventually(within: .seconds(30), every: .milliseconds(100)) {
                seen = try await observer.status().first
                return seen?.phase == .crashLooping
            }
            #expect(sawLoop, "status said \(seen?.phase.rawValue ?? "nothing")")
            let replica = try #require(seen?.replicas.first)
            #expect(replica.restarts >= 1)
            #expect(replica.lastExitCode == 4)
        }
    }

    @Test func aWorkloadWhoseFrontDoorIsDownIsNotReadyAndShowsNoURL() async throws {
        try await RuntimeHarness.with { harness in
            let web = webWorkload("web", page: "behind-the-door")
            let state = try await harness.up("web", in: [web])
            let replicaPorts = state.replicas.flatMap(\.ports).map(\.hostPort)
            let door = try #require(try await harness.labelledContainers().first { ContainerLabels.isDoor($0.labels) })
            harness.runtime.shutdown()  // nobody brings it back: what does status say meanwhile?
            try await harness.client.stopContainer(door.id, timeout: 1)
            let observer = WorkloadRuntime(project: harness.project, client: harness.client)
            let seen = try #require(try await observer.status().first)
            // Its URL is the door's: a replica's own port is not where users reach it.
            #expect(seen.urls.allSatisfy { url in !replicaPorts.contains { url.hasSuffix(":\($0)") } }, "\(seen.urls)")
            #expect(seen.urls.isEmpty, "\(seen.urls)")
            #expect(seen.phase != .ready)
        }
    }

    @Test func anEmptyProjectHasNoWorkloads() async throws {
        try await RuntimeHarness.with { harness in
            let states = try await harness.runtime.status()
            #expect(states.isEmpty)
        }
    }
}
