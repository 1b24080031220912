import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import WBuildCore
import WBuildDocker
import WBuildSpec
@testable import WBuildWorkloads

@Suite("WorkloadRuntime.up on the real engine")
struct UpTests {
    @Test func portsAnswerOnLoopbackOnly() async throws {
        try await RuntimeHarness.with { harness in
            var web = webWorkload("web", page: "hello-ports")
            web.debug = DebugSpec(port: 9229)
            let state = try await harness.up("web", in: [web])
            let url = try #require(state.urls.first)
            #expect(url.hasPrefix("http://127.0.0.1:"))
            let answer = await httpGet(url)
            #expect(answer?.status == 200)
            #expect(answer?.body.contains("hello-ports") == true)
            let replica = try #require(state.replicas.first)
            #expect(replica.debugger?.hasPrefix("127.0.0.1:") == true)
            let info = try #require(try await harness.client.inspectContainer(replica.containerID))
            #expect(info.ports["8080/tcp"]?.map(\.hostIp) == ["127.0.0.1"])
            #expect(info.ports["9229/tcp"]?.map(\.hostIp) == ["127.0.0.1"])
            // The workload's URL is its front door's, on loopback too.
            #expect(state.frontDoor.map(\.hostIP) == ["127.0.0.1"])
            #expect(url == state.frontDoor.first?.url)
            // What the terminal shows when it is ready.
            let ready = try #require(harness.details("ready").last)
            #expect(ready.contains(url) && ready.contains("debugger on 127.0.0.1:"), "\(ready)")
        }
    }

    @Test func envAndBindingsArriveAndPeersAnswerByName() async throws {
        try await RuntimeHarness.with { harness in
            let kv = webWorkload("kv", page: "kv-says-hi")
            let api = shellWorkload("api", "exec sleep 600", env: [
                KeyValuePair("KV_ADDR", "${kv.host}:${kv.port}"), KeyValuePair("KV_URL", "${kv.url}"),
                KeyValuePair("KV_IMAGE", "${kv.image}"), KeyValuePair("MODE", "dev"),
            ])
            let workloads = [kv, api]
            try await harness.up("kv", in: workloads)
            let state = try await harness.up("api", in: workloads)
            let id = try #require(state.replicas.first?.containerID)
            let environ = try await harness.exec(id, ["cat", "/proc/1/environ"]).stdoutText.split(separator: "\0").map(String.init)
            #expect(environ.contains("KV_ADDR=kv:8080"))
            #expect(environ.contains("KV_URL=http://kv:8080"))
            #expect(environ.contains("KV_IMAGE=\(RuntimeHarness.baseImage)"))
            #expect(environ.contains("MODE=dev"))
            let fetched = try await harness.exec(id, ["wget", "-q", "-O", "-", "http://kv:8080/"])
            #expect(fetched.stdoutText.contains("kv-says-hi"))
        }
    }

    @Test func readinessGatesUp() async throws {
        try await RuntimeHarness.with { harness in
            let slow = shellWorkload(
                "slow", "mkdir -p /w && (sleep 2 && echo ok > /w/ready.html) & exec httpd -f -p 8080 -h /w",
                ports: [PortSpec(container: 8080, protocol: .http)],
                readiness: ProbeSpec(check: .http(path: "/ready.html", port: 8080), intervalMs: 100))
            let state = try await harness.up("slow", in: [slow])
            // Ready means the probe passed: the page is there the moment up returns.
            let url = try #require(state.urls.first)
            #expect(await httpGet(url + "/ready.html")?.status == 200)
            #expect(state.phase == .ready)
        }
    }

    @Test func aNeverReadyWorkloadFailsUpWithItsLastLogLines() async throws {
        try await RuntimeHarness.with { harness in
            let stuck = shellWorkload(
                "stuck", "echo booting-forever && exec httpd -f -p 8080 -h /",
                ports: [PortSpec(container: 8080, protocol: .http)],
                readiness: ProbeSpec(check: .http(path: "/never-there", port: 8080), intervalMs: 100))
            let failure = await #expect(throws: NodeFailure.self) {
                try await harness.up("stuck", in: [stuck], timeout: .seconds(3))
            }
            #expect(failure?.message.contains("`stuck` replica 0 was not ready") == true)
            #expect(failure?.tail.contains { $0.contains("booting-forever") } == true, "tail: \(failure?.tail ?? [])")
        }
    }

    @Test func upAgainWithTheSameFingerprintAdoptsEvenFromANewRuntime() async throws {
        try await RuntimeHarness.with { harness in
            let web = webWorkload("web", page: "adopt-me")
            let first = try await harness.up("web", in: [web])
            let id = try #require(first.replicas.first?.containerID)
            let startedAt = try await harness.client.inspectContainer(id)?.state.startedAt
            let again = try await harness.up("web", in: [web])
            #expect(again.replicas.map(\.containerID) == [id])
            // A new wbuild process (a new runtime) adopts it too.
            let restarted = WorkloadRuntime(project: harness.project, client: harness.client)
            defer { restarted.shutdown() }
            let adopted = try await harness.up("web", in: [web], runtime: restarted)
            #expect(adopted.replicas.map(\.containerID) == [id])
            #expect(try await harness.client.inspectContainer(id)?.state.startedAt == startedAt)
        }
    }

    @Test func gpusWithoutAGPURuntimeFailNamingTheWorkload() async throws {
        try await RuntimeHarness.with { harness in
            var trainer = shellWorkload("trainer", "exec sleep 600")
            trainer.resources = ResourceLimits(gpus: .count(1))
            await #expect {
                try await harness.up("trainer", in: [trainer])
            } throws: { error in
                (error as? NodeFailure)?.message.contains("`trainer` asks for GPUs") == true
            }
        }
    }

    @Test func waitReadyAnswersForRunningWorkloadsAndFailsForOthers() async throws {
        try await RuntimeHarness.with { harness in
            try await harness.up("web", in: [webWorkload("web", page: "w")])
            try await harness.runtime.waitReady(workload: "web", timeout: .seconds(10))
            await #expect(throws: NodeFailure.self) {
                try await harness.runtime.waitReady(workload: "nope", timeout: .seconds(1))
            }
        }
    }

    @Test func hostDirectoriesAndNamedVolumesAreMounted() async throws {
        try await RuntimeHarness.with { harness in
            var web = shellWorkload("files", "exec sleep 600")
            web.volumes = [VolumeSpec(source: .hostPath("./shared"), target: "/shared", readOnly: true),
                           VolumeSpec(source: .named("scratch"), target: "/scratch")]
            let plan = try harness.plan("files", in: [web])  // creates ./shared
            _ = try harness.root.write("shared/hello.txt", "from-the-host")
            let state = try await harness.runtime.up(plan, fingerprint: plan.fingerprint())
            let id = try #require(state.replicas.first?.containerID)
            #expect(try await harness.exec(id, ["cat", "/shared/hello.txt"]).stdoutText == "from-the-host")
            #expect(try await harness.exec(id, ["touch", "/shared/nope"]).exitCode != 0, "read-only")
            #expect(try await harness.exec(id, ["touch", "/scratch/yes"]).exitCode == 0)
        }
    }
}
