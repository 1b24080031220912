import Foundation
import Testing
import WBuildSpec
import WBuildTestSupport
@testable import WBuildWorkloads

@Suite("WorkloadPlan: local bindings, ports, limits, volumes, fingerprint")
struct WorkloadPlanTests {
    let kv = WorkloadSpec(name: "kv", source: .image("kv:1"),
                          ports: [PortSpec(name: "main", container: 7000), PortSpec(name: "admin", container: 7001)])
    let grpc = WorkloadSpec(name: "rpc", source: .build(BuildSpec(context: "rpc")),
                            ports: [PortSpec(container: 9000, protocol: .grpc)])

    func project(_ api: WorkloadSpec) -> ProjectSpec {
        ProjectSpec(name: "shop", workloads: [api, kv, grpc])
    }

    @Test func bindingsRenderToNetworkNamesContainerPortsAndImages() throws {
        let api = WorkloadSpec(
            name: "api", source: .image("api:1"), command: ["serve", "--kv=${kv.host}:${kv.port}"],
            env: [KeyValuePair("KV", "${kv.url}"), KeyValuePair("ADMIN", "${kv.port.admin}"),
                  KeyValuePair("RPC", "${rpc.url}"), KeyValuePair("RPC_IMAGE", "${rpc.image}"),
                  KeyValuePair("KV_IMAGE", "${kv.image}"), KeyValuePair("SHELL_VAR", "$HOME")])
        let plan = try WorkloadPlan.make(spec: api, project: project(api), imageReferences: ["rpc": "wbuild/shop-rpc:abc"],
                                         projectRoot: "/nonexistent")
        #expect(plan.command == ["serve", "--kv=kv:7000"])
        #expect(plan.environment == ["KV=tcp://kv:7000", "ADMIN=7001", "RPC=grpc://rpc:9000",
                                     "RPC_IMAGE=wbuild/shop-rpc:abc", "KV_IMAGE=kv:1", "SHELL_VAR=$HOME"])
    }

    @Test func anUnknownPortNamesTheKeyPath() throws {
        let api = WorkloadSpec(name: "api", source: .image("api:1"), env: [KeyValuePair("X", "${kv.port.nope}")])
        #expect {
            try WorkloadPlan.make(spec: api, project: project(api), imageReferences: [:], projectRoot: "/")
        } throws: { error in
            let planError = try #require(error as? WorkloadPlanError)
            return planError.workload == "api" && planError.message.contains("workloads.api.env.X")
                && planError.message.contains("${kv.port.nope}")
        }
    }

    @Test func aBuiltImageWithoutAReferenceCannotBePlanned() {
        #expect(throws: WorkloadPlanError.self) {
            try WorkloadPlan.make(spec: grpc, project: project(grpc), imageReferences: [:], projectRoot: "/")
        }
    }

    @Test func portsLimitsDebugAndVolumesAreResolved() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-plan")
        defer { directory.remove() }
        let api = WorkloadSpec(
            name: "api", source: .image("api:1"),
            ports: [PortSpec(name: "http", container: 8080, protocol: .http), PortSpec(container: 9090, host: 19090, hostIP: "0.0.0.0")],
            resources: ResourceLimits(cpus: 0.5, memoryBytes: 256 << 20),
            volumes: [VolumeSpec(source: .hostPath("./data/db"), target: "/data"),
                      VolumeSpec(source: .named("cache"), target: "/cache", readOnly: true)],
            debug: DebugSpec(port: 9229))
        let plan = try WorkloadPlan.make(spec: api, project: project(api), imageReferences: [:], projectRoot: directory.path)
        #expect(plan.ports.map(\.container) == [8080, 9090, 9229])
        #expect(plan.ports[0].hostIP == "127.0.0.1" && plan.ports[0].host == 0)
        #expect(plan.ports[1].hostIP == "0.0.0.0" && plan.ports[1].host == 19090)
        #expect(plan.debugPort == 9229)
        #expect(plan.resources.nanoCpus == 500_000_000 && plan.resources.memoryBytes == 256 << 20)
        #expect(plan.volumes.map(\.bind) == ["\(directory.path)/data/db:/data", "wbuild-shop-cache:/cache:ro"])
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: directory.path + "/data/db", isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    @Test func theFingerprintFollowsSettingsImageAndBindings() throws {
        let api = WorkloadSpec(name: "api", source: .image("api:1"), env: [KeyValuePair("KV", "${kv.host}")])
        let plan = try WorkloadPlan.make(spec: api, project: project(api), imageReferences: [:], projectRoot: "/")
        #expect(plan.fingerprint() == plan.fingerprint())
        #expect(plan.fingerprint(imageID: "sha256:1") != plan.fingerprint(imageID: "sha256:2"))
        var changed = plan
        changed.environment = ["KV=other"]
        #expect(changed.fingerprint() != plan.fingerprint())
        changed = plan
        changed.replicas = 2
        #expect(changed.fingerprint() != plan.fingerprint())
        changed = plan
        changed.wrapWithSupervisor = true
        #expect(changed.fingerprint() != plan.fingerprint())
    }

    @Test func theSupervisorWrapsTheSpecsProcess() throws {
        let decision = try ProcessWrapping.decide(entrypoint: ["node"], command: ["server.js"], image: nil, supervisor: true,
                                                  engineInit: true, workload: "api")
        #expect(decision == ProcessWrapping.Decision(entrypoint: ["/.wbuild/init", "--", "node", "server.js"], command: nil,
                                                     engineInit: false))
        let fromImage = try ProcessWrapping.decide(entrypoint: nil, command: ["-v"], image: ImageProcess(entrypoint: ["app"], command: ["x"]),
                                                   supervisor: true, engineInit: true, workload: "api")
        #expect(fromImage.entrypoint == ["/.wbuild/init", "--", "app", "-v"])
        let plain = try ProcessWrapping.decide(entrypoint: nil, command: ["-v"], image: nil, supervisor: false, engineInit: true, workload: "api")
        #expect(plain == ProcessWrapping.Decision(entrypoint: nil, command: ["-v"], engineInit: true))
        #expect(throws: WorkloadPlanError.self) {
            try ProcessWrapping.decide(entrypoint: nil, command: nil, image: nil, supervisor: true, engineInit: true, workload: "api")
        }
    }
}
