import Testing
@testable import WBuild

/// Why a Deployment's pods are not ready, read from sample `kubectl get pods -o json` and
/// events JSON as Kubernetes 1.20 writes them.
struct PodDiagnosisTests {
    static let selector = ["app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "shop"]

    static func pods(_ items: String...) -> String { #"{"apiVersion":"v1","kind":"List","items":["# + items.joined(separator: ",") + "]}" }

    static func pod(_ name: String, created: String = "2026-12-04T21:00:00Z", labels: String = #""app.kubernetes.io/name":"api","app.kubernetes.io/instance":"shop""#,
                    status: String) -> String {
        #"{"metadata":{"name":"\#(name)","creationTimestamp":"\#(created)","labels":{\#(labels)}},"status":\#(status)}"#
    }

    @Test func anImageThatCannotBePulledIsFatalAndNamed() throws {
        let json = Self.pods(Self.pod("api-7d9-abcde", status: """
        {"phase":"Pending","conditions":[{"type":"PodScheduled","status":"True"}],
         "containerStatuses":[{"name":"api","ready":false,"restartCount":0,
           "state":{"waiting":{"reason":"ImagePullBackOff","message":"Back-off pulling image \\"wbuild/shop-api:nope\\""}}}]}
        """))
        let finding = try #require(PodDiagnosis(podsJSON: json, eventsJSON: nil, selector: Self.selector).findings.first)
        #expect(finding == .init(pod: "api-7d9-abcde", container: "api", reason: "ImagePullBackOff",
                                 message: "Back-off pulling image \"wbuild/shop-api:nope\"", fatal: true))
        #expect(finding.description == "pod api-7d9-abcde: container api: ImagePullBackOff: Back-off pulling image \"wbuild/shop-api:nope\"")
    }

    @Test func anUnschedulablePodSaysWhy() throws {
        let json = Self.pods(Self.pod("api-7d9-sched", status: """
        {"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable",
          "message":"0/1 nodes are available: 1 Insufficient cpu."}]}
        """))
        let finding = try #require(PodDiagnosis(podsJSON: json, eventsJSON: nil, selector: Self.selector).findings.first)
        #expect(finding.reason == "Unschedulable" && finding.container == nil && !finding.fatal)
        #expect(finding.description == "pod api-7d9-sched: Unschedulable: 0/1 nodes are available: 1 Insufficient cpu.")
    }

    @Test func aFailingReadinessProbeIsReadFromThePodsEvents() throws {
        let pods = Self.pods(
            Self.pod("api-old-11111", created: "2026-12-04T20:00:00Z", status: """
            {"phase":"Running","containerStatuses":[{"name":"api","ready":true,"state":{"running":{}}}]}
            """),
            Self.pod("api-new-22222", created: "2026-12-04T21:00:00Z", status: """
            {"phase":"Running","conditions":[{"type":"PodScheduled","status":"True"},{"type":"Ready","status":"False"}],
             "containerStatuses":[{"name":"api","ready":false,"state":{"running":{"startedAt":"2026-12-04T21:00:01Z"}}},
                                  {"name":"heartbeat","ready":true,"state":{"running":{}}}]}
            """),
            Self.pod("web-33333", labels: #""app.kubernetes.io/name":"web","app.kubernetes.io/instance":"shop""#, status: """
            {"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable"}]}
            """))
        let events = """
        {"kind":"List","items":[
          {"involvedObject":{"kind":"Pod","name":"api-new-22222","fieldPath":"spec.containers{api}"},"reason":"Started","message":"Started container api","lastTimestamp":"2026-12-04T21:00:01Z"},
          {"involvedObject":{"kind":"Pod","name":"api-new-22222","fieldPath":"spec.containers{api}"},"reason":"Unhealthy","type":"Warning",
           "message":"Readiness probe failed: HTTP probe failed with statuscode: 404","lastTimestamp":"2026-12-04T21:00:05Z","count":12},
          {"involvedObject":{"kind":"Pod","name":"api-old-11111","fieldPath":"spec.containers{api}"},"reason":"Unhealthy",
           "message":"Readiness probe failed: old","lastTimestamp":"2026-12-04T20:00:05Z"}
        ]}
        """
        let findings = PodDiagnosis(podsJSON: pods, eventsJSON: events, selector: Self.selector).findings
        #expect(findings.count == 1, "only the api pod that is not ready: \(findings)")
        let finding = try #require(findings.first)
        #expect(finding.pod == "api-new-22222" && finding.container == "api" && !finding.fatal)
        #expect(finding.description == "pod api-new-22222: container api: Readiness probe failed: HTTP probe failed with statuscode: 404")
    }

    @Test func aCrashLoopNamesTheExitCodeAndIsFatal() throws {
        let json = Self.pods(Self.pod("api-crash", status: """
        {"phase":"Running","containerStatuses":[{"name":"api","ready":false,"restartCount":4,
          "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 40s restarting failed container"}},
          "lastState":{"terminated":{"exitCode":3,"reason":"Error"}}}]}
        """))
        let finding = try #require(PodDiagnosis(podsJSON: json, eventsJSON: nil, selector: Self.selector).findings.first)
        #expect(finding.fatal)
        #expect(finding.description == "pod api-crash: container api: CrashLoopBackOff: it exited with code 3 (Error), 4 restarts")
    }

    @Test func readyAndTerminatingPodsAndGarbageGiveNoFinding() {
        let ready = Self.pods(Self.pod("api-ok", status: #"{"phase":"Running","containerStatuses":[{"name":"api","ready":true,"state":{"running":{}}}]}"#))
        #expect(PodDiagnosis(podsJSON: ready, eventsJSON: nil, selector: Self.selector).findings.isEmpty)
        let terminating = Self.pods(#"{"metadata":{"name":"api-bye","deletionTimestamp":"2026-12-04T21:00:00Z","labels":{"app.kubernetes.io/name":"api","app.kubernetes.io/instance":"shop"}},"status":{"phase":"Running","containerStatuses":[{"name":"api","ready":false,"state":{"running":{}}}]}}"#)
        #expect(PodDiagnosis(podsJSON: terminating, eventsJSON: nil, selector: Self.selector).findings.isEmpty)
        #expect(PodDiagnosis(podsJSON: "Error from server", eventsJSON: "{", selector: Self.selector).findings.isEmpty)
    }

    @Test func aDeploymentIsDoneOnlyWhenEveryReplicaRunsTheNewSpecAndIsAvailable() throws {
        let json = """
        {"items":[
          {"metadata":{"name":"api","namespace":"shop","generation":3},"spec":{"replicas":2,"selector":{"matchLabels":{"app.kubernetes.io/name":"api"}}},
           "status":{"observedGeneration":3,"replicas":3,"updatedReplicas":2,"readyReplicas":3,"availableReplicas":3}},
          {"metadata":{"name":"web","namespace":"shop","generation":2},"spec":{"replicas":1},
           "status":{"observedGeneration":2,"replicas":1,"updatedReplicas":1,"readyReplicas":1,"availableReplicas":1}},
          {"metadata":{"name":"kv","namespace":"shop","generation":2},"spec":{"replicas":1},
           "status":{"observedGeneration":1,"replicas":1,"updatedReplicas":1,"readyReplicas":1,"availableReplicas":1,
            "conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded","message":"ReplicaSet \\"kv-1\\" has timed out progressing."}]}}
        ]}
        """
        let states = try #require(DeploymentState.parse(json: json))
        #expect(states.map(\.name) == ["api", "web", "kv"])
        #expect(states.map(\.isComplete) == [false, true, false])
        #expect(states[0].progress == "2/2 updated, 3/2 ready, 1 old")
        #expect(states[0].selector == ["app.kubernetes.io/name": "api"])
        #expect(states[2].stalled == "ProgressDeadlineExceeded: ReplicaSet \"kv-1\" has timed out progressing.")
    }
}
