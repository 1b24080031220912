import WBuildTestSupport
import Foundation
import Testing
import WBuildCore
import WBuildDocker
import WBuildSpec
@testable import WBuildWorkloads

@Suite("WorkloadRuntime watches containers: crashes, OOM, liveness, sidecars")
struct MonitorTests {
    @Test func aCrashLoopBacksOffAndReportsItsExitCode() async throws {
        try await RuntimeHarness.with { harness in
            let crasher = shellWorkload("crasher", "echo starting; sleep 2; exit 3")
            try await harness.up("crasher", in: [crasher])
            #expect(await eventually { harness.details("crash-looping").count >= 3 })
            let details = harness.details("crash-looping")
            #expect(details.allSatisfy { $0.contains("exited with code 3") })
            // The wait before each restart doubles: 0.5 s, 1 s, 2 s.
            #expect(details.prefix(3).map { $0.components(separatedBy: "restarting in ").last ?? "" } == ["0.5 s", "1 s", "2 s"])
            let state = try #require(try await harness.runtime.status().first { $0.workload == "crasher" })
            let replica = try #require(state.replicas.first)
            #expect(replica.lastExitCode == 3)
            #expect(replica.restarts >= 2)
        }
    }

    @Test func aMemoryHogIsOOMKilledAndStatusSaysSo() async throws {
        try await RuntimeHarness.with { harness in
            var hog = shellWorkload("hog", "sleep 1; x=aaaaaaaa; while true; do x=$x$x; done")
            hog.resources = ResourceLimits(memoryBytes: 16 << 20)
            try await harness.up("hog", in: [hog])
            #expect(try await eventually {
                try await harness.runtime.status().first { $0.workload == "hog" }?.replicas.first?.oomKilled == true
            })
            #expect(await eventually { harness.details("crash-looping").contains { $0.contains("OOM killed") } })
            let replica = try #require(try await harness.runtime.status().first { $0.workload == "hog" }?.replicas.first)
            #expect(replica.lastExitCode == 137)
        }
    }

    @Test func aLivenessFailureRestartsTheContainer() async throws {
        try await RuntimeHarness.with { harness in
            let web = webWorkload("web", page: "alive",
                                  liveness: ProbeSpec(check: .http(path: "/alive.html", port: 8080), intervalMs: 200,
                                                      failureThreshold: 2))
            let state = try await harness.up("web", in: [web])
            let id = try #require(state.replicas.first?.containerID)
            let firstStart = try await harness.client.inspectContainer(id)?.state.startedAt
            // Break liveness: the page goes away (the container's script puts it back on start).
            _ = try await harness.exec(id, ["rm", "/w/alive.html"])
            #expect(try await eventually {
                try await harness.client.inspectContainer(id)?.state.startedAt != firstStart
            })
            #expect(try await eventually {
                let replica = try await harness.runtime.status().first?.replicas.first
                return replica?.restarts == 1 && replica?.phase == .ready
            })
            // It serves again, on its new host port, and was not taken for a crash.
            let url = try #require(try await harness.runtime.status().first?.urls.first)
            #expect(await httpGet(url + "/alive.html")?.status == 200)
            #expect(harness.details("crash-looping").isEmpty)
        }
    }

    @Test func aSidecarReachesItsWorkloadOnLocalhostBeforeAndAfterARestart() async throws {
        try await RuntimeHarness.with { harness in
            var web = webWorkload("web", page: "from-the-workload")
            web.sidecars = [SidecarSpec(name: "peek", image: RuntimeHarness.baseImage, command: ["sleep", "600"])]
            try await harness.up("web", in: [web])
            let peek = try #require(try await harness.labelledContainers().first { $0.labels[ContainerLabels.sidecar] == "peek" })
            #expect(try await harness.exec(peek.id, ["wget", "-q", "-O", "-", "http://127.0.0.1:8080/"]).stdoutText
                .contains("from-the-workload"))

            try await harness.runtime.restart(workload: "web")
            #expect(try await eventually {
                try await harness.exec(peek.id, ["wget", "-q", "-O", "-", "http://127.0.0.1:8080/"]).stdoutText
                    .contains("from-the-workload")
            })
            let state = try #require(try await harness.runtime.status().first)
            #expect(state.replicas.first?.sidecars == ["peek": "running"])
        }
    }

    @Test func aCrashedWorkloadComesBackWithItsSidecarOnItsNamespace() async throws {
        try await RuntimeHarness.with { harness in
            var web = webWorkload("web", page: "back-again")
            web.sidecars = [SidecarSpec(name: "peek", image: RuntimeHarness.baseImage, command: ["sleep", "600"])]
            let state = try await harness.up("web", in: [web])
            let id = try #require(state.replicas.first?.containerID)
            let peek = try #require(try await harness.labelledContainers().first { $0.labels[ContainerLabels.sidecar] == "peek" })
            try await harness.client.killContainer(id)  // SIGKILL from outside: a crash
            #expect(try await eventually {
                try await harness.runtime.status().first?.replicas.first.map { $0.restarts == 1 && $0.phase == .ready } == true
            })
            #expect(harness.details("crash-looping").first?.contains("exited with code 137") == true)
            #expect(try await eventually {
                try await harness.exec(peek.id, ["wget", "-q", "-O", "-", "http://127.0.0.1:8080/"]).stdoutText.contains("back-again")
            })
        }
    }
}
