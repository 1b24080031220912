import Testing
@testable import WBuildWorkloads

/// When `up` may call a workload cached: replicas with the fingerprint and, with ports, its door.
@Suite struct WorkloadTrustTests {
    let plan = WorkloadPlan(project: "p", workload: "web", image: "img", ports: [PlannedPort(name: "http", container: 8080, host: 18080)])

    func replica(_ state: String = "running") -> ReplicaState {
        ReplicaState(replica: 0, containerID: "c0", containerName: "wbuild-p-web-0", phase: .ready, engineState: state, health: nil,
                     ports: [], image: "sha256:1", lastExitCode: nil, oomKilled: false, restarts: 0, sidecars: [:])
    }

    func door(_ port: Int) -> [PublishedPort] {
        [PublishedPort(name: "http", container: 8080, hostIP: "127.0.0.1", hostPort: port, protocol: "http", isDebug: false)]
    }

    @Test func replicasWithoutTheirDoorAreNotTrusted() {
        let noDoor = WorkloadState(workload: "web", phase: .ready, fingerprint: "f", replicas: [replica()])
        #expect(!WorkloadTrust.trusts(noDoor, fingerprint: "f", replicas: 1, plan: plan))
        let otherPort = WorkloadState(workload: "web", phase: .ready, fingerprint: "f", replicas: [replica()], frontDoor: door(32000))
        #expect(!WorkloadTrust.trusts(otherPort, fingerprint: "f", replicas: 1, plan: plan))
        let whole = WorkloadState(workload: "web", phase: .ready, fingerprint: "f", replicas: [replica()], frontDoor: door(18080))
        #expect(WorkloadTrust.trusts(whole, fingerprint: "f", replicas: 1, plan: plan))
    }

    @Test func fingerprintReplicaCountAndRunningStillDecide() {
        let whole = WorkloadState(workload: "web", phase: .ready, fingerprint: "f", replicas: [replica()], frontDoor: door(18080))
        #expect(!WorkloadTrust.trusts(whole, fingerprint: "g", replicas: 1, plan: plan))
        #expect(!WorkloadTrust.trusts(whole, fingerprint: "f", replicas: 2, plan: plan))
        let exited = WorkloadState(workload: "web", phase: .stopped, fingerprint: "f", replicas: [replica("exited")], frontDoor: door(18080))
        #expect(!WorkloadTrust.trusts(exited, fingerprint: "f", replicas: 1, plan: plan))
        let portless = WorkloadState(workload: "job", phase: .ready, fingerprint: "f", replicas: [replica()])
        #expect(WorkloadTrust.trusts(portless, fingerprint: "f", replicas: 1, plan: WorkloadPlan(project: "p", workload: "job", image: "img")))
    }
}
