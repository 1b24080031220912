import Foundation
import Testing
import WBuildCore
import WBuildDocker
import WBuildSpec
@testable import WBuildWorkloads

@Suite("WorkloadRuntime down, orphans and recovery after wbuild dies")
struct DownTests {
    @Test func downLeavesNothingLabelledAndIsIdempotent() async throws {
        try await RuntimeHarness.with { harness in
            var web = webWorkload("web", page: "bye")
            web.volumes = [VolumeSpec(source: .named("cache"), target: "/cache"), VolumeSpec(source: .hostPath("data"), target: "/data")]
            web.sidecars = [SidecarSpec(name: "side", image: RuntimeHarness.baseImage, command: ["sleep", "600"])]
            try await harness.up("web", in: [web])
            let volume = WorkloadPlan.volumeName(project: harness.project, name: "cache")
            #expect(try await harness.client.listVolumes().contains { $0.name == volume })
            let running = try await harness.labelledContainers()
            #expect(running.count == 3, "the replica, its sidecar and the workload's front door")
            #expect(running.filter { ContainerLabels.isDoor($0.labels) }.count == 1)

            try await harness.runtime.down(volumes: false)
            let label = "\(ContainerLabels.project)=\(harness.project)"
            #expect(try await harness.client.listContainers(labels: [label]).isEmpty)
            #expect(try await harness.client.listNetworks(labels: [label]).isEmpty)
            #expect(try await harness.client.listVolumes().contains { $0.name == volume }, "named volumes stay without `volumes`")
            // The host directory was created under the project root.
            #expect(FileManager.default.fileExists(atPath: harness.root.path + "/data"))

            try await harness.up("web", in: [web])
            try await harness.runtime.down(volumes: true)
            #expect(try await harness.client.listContainers(labels: [label]).isEmpty)
            #expect(try await !harness.client.listVolumes().contains { $0.name == volume })
            // Nothing to do is fine.
            try await harness.runtime.down(volumes: true)
        }
    }

    @Test func orphansAreRemovedAndTheRestKept() async throws {
        try await RuntimeHarness.with { harness in
            let keep = webWorkload("keep", page: "k")
            let gone = shellWorkload("gone", "exec sleep 600", ports: [PortSpec(container: 9000, protocol: .tcp)])
            let kept = try await harness.up("keep", in: [keep, gone])
            try await harness.up("gone", in: [keep, gone])
            let removed = try await harness.runtime.removeOrphans(keeping: ["keep"])
            #expect(removed == ["gone"])
            let left = try await harness.labelledContainers()
            #expect(left.filter { ContainerLabels.isReplica($0.labels) }.map(\.id) == kept.replicas.map(\.containerID))
            #expect(left.allSatisfy { $0.labels[ContainerLabels.workload] == "keep" }, "the orphan's front door went too")
            #expect(try await harness.runtime.status().map(\.workload) == ["keep"])
        }
    }

    @Test func aNewRuntimeFindsAndCleansWhatADeadOneLeft() async throws {
        try await RuntimeHarness.with { harness in
            let v1 = webWorkload("web", page: "one")
            var v2 = webWorkload("web", page: "two")
            v2.replicas = 2
            // A wbuild that started v1, then died halfway through starting v2 (a v2 replica
            // created and running, the swap never finished).
            var dying: WorkloadRuntime? = WorkloadRuntime(project: harness.project, client: harness.client)
            let first = try await harness.up("web", in: [v1], runtime: dying)
            let plan2 = try harness.plan("web", in: [v2])
            let blueprint = ContainerBlueprint(plan: plan2, fingerprint: plan2.fingerprint(), engineInit: true)
            let half = try await harness.client.createContainer(name: blueprint.replicaName(0), config: try blueprint.replica(0))
            try await harness.client.startContainer(half)
            dying = nil
            _ = dying

            // The next wbuild adopts the half-started replica, adds the missing one, retires v1.
            let next = WorkloadRuntime(project: harness.project, client: harness.client)
            let state = try await harness.up("web", in: [v2], runtime: next)
            #expect(state.replicas.count == 2)
            #expect(state.replicas.contains { $0.containerID == half })
            let left = try await harness.replicaContainers()
            #expect(Set(left.map(\.id)) == Set(state.replicas.map(\.containerID)))
            #expect(!left.contains { $0.id == first.replicas.first?.containerID })

            // And a wbuild that knows nothing but the project name removes it all.
            try await WorkloadRuntime(project: harness.project, client: harness.client).down()
            #expect(try await harness.labelledContainers().isEmpty)
        }
    }
}
