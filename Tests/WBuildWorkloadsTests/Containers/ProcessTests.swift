import Foundation
import Testing
import WBuildCore
import WBuildDocker
import WBuildSpec
@testable import WBuildWorkloads

@Suite("WorkloadRuntime runs processes under an init")
struct ProcessTests {
    @Test func aProcessThatIgnoresSIGTERMAsPID1StillStopsOnSIGTERM() async throws {
        try await RuntimeHarness.with { harness in
            // `sleep` as PID 1 would ignore SIGTERM and be killed (137) after the grace period;
            // under the engine's init the signal reaches it and it exits 143.
            let sleeper = shellWorkload("sleeper", "exec sleep 600")
            let state = try await harness.up("sleeper", in: [sleeper])
            let id = try #require(state.replicas.first?.containerID)
            let pid1 = try await harness.exec(id, ["cat", "/proc/1/cmdline"]).stdoutText
            #expect(pid1.hasPrefix("/sbin/docker-init"), "PID 1 is the engine's init: \(pid1)")
            harness.runtime.shutdown()  // a stop from outside: not a crash to restart
            try await harness.client.stopContainer(id, timeout: 30)
            #expect(try await harness.client.inspectContainer(id)?.state.exitCode == 143)
        }
    }

    @Test func theSupervisorWrapsTheProcessAndIsInstalledBeforeStart() async throws {
        try await RuntimeHarness.with { harness in
            let web = webWorkload("web", page: "supervised")
            let project = harness.spec([web])
            let plan = try WorkloadPlan.make(spec: web, project: project, imageReferences: [:], projectRoot: harness.root.path,
                                             wrapWithSupervisor: true)
            // A stand-in supervisor: drops the `--` and runs the process.
            let supervisor = "#!/bin/sh\n[ \"$1\" = -- ] && shift\necho supervising > /supervised\nexec \"$@\"\n"
            let tar = try TarWriter.archive([.directory(".wbuild"), .file(".wbuild/init", contents: Array(supervisor.utf8), executable: true)])
            let client = harness.client
            let state = try await harness.runtime.up(plan, fingerprint: plan.fingerprint(), beforeStart: { id in
                try await client.putArchive(id, path: "/", tar: tar)
            }, timeout: .seconds(30))
            let url = try #require(state.urls.first)
            #expect(await httpGet(url)?.body.contains("supervised") == true)
            let id = try #require(state.replicas.first?.containerID)
            #expect(try await harness.exec(id, ["cat", "/supervised"]).stdoutText == "supervising\n")
        }
    }
}
