import Testing
import WBuildCore
import WBuildDocker
import WBuildSpec
@testable import WBuildWorkloads

@Suite("ContainerBlueprint: what the engine is asked to create")
struct BlueprintTests {
    let plan = WorkloadPlan(
        project: "shop", workload: "api", image: "sha256:abc", entrypoint: ["node"], command: ["server.js"],
        environment: ["A=1"], ports: [PlannedPort(name: "http", container: 8080, protocol: .http),
                                      PlannedPort(name: "debug", container: 9229, host: 19229, hostIP: "0.0.0.0")],
        resources: PlannedResources(nanoCpus: 500_000_000, memoryBytes: 1 << 28, gpus: .count(2)),
        volumes: [PlannedVolume(source: .named("wbuild-shop-cache"), target: "/cache")],
        sidecars: [PlannedSidecar(name: "metrics", image: "exporter:1", command: ["/exporter"])],
        debugPort: 9229, stopGraceMs: 2500)
    let fingerprint = Fingerprint(hex: String(repeating: "ab", count: 32))

    @Test func aReplicaIsPublishedLabelledLimitedAndOnTheProjectNetwork() throws {
        let blueprint = ContainerBlueprint(plan: plan, fingerprint: fingerprint, engineInit: true)
        let config = try blueprint.replica(1)
        #expect(blueprint.replicaName(1) == "wbuild-shop-api-1-abababababab")
        #expect(config.exposedPorts?.keys.sorted() == ["8080/tcp", "9229/tcp"])
        #expect(config.hostConfig?.portBindings?["8080/tcp"] == [PortBinding(hostIp: "127.0.0.1", hostPort: "")])
        #expect(config.hostConfig?.portBindings?["9229/tcp"] == [PortBinding(hostIp: "0.0.0.0", hostPort: "19229")])
        #expect(config.labels?[ContainerLabels.project] == "shop")
        #expect(config.labels?[ContainerLabels.workload] == "api")
        #expect(config.labels?[ContainerLabels.replica] == "1")
        #expect(config.labels?[ContainerLabels.fingerprint] == fingerprint.hex)
        #expect(config.labels?[ContainerLabels.volumes] == "wbuild-shop-cache")
        #expect(config.hostConfig?.networkMode == "wbuild-shop")
        // Peers reach `api` through its front door: the replica joins under its container name only.
        #expect(config.networkingConfig?.endpointsConfig["wbuild-shop"] == EndpointSettings())
        #expect(config.hostConfig?.nanoCpus == 500_000_000 && config.hostConfig?.memory == 1 << 28)
        #expect(config.hostConfig?.deviceRequests == [DeviceRequest(driver: "nvidia", count: 2, capabilities: [["gpu"]])])
        #expect(config.entrypoint == ["node"] && config.cmd == ["server.js"] && config.hostConfig?.`init` == true)
        #expect(config.hostConfig?.binds == ["wbuild-shop-cache:/cache"])
        #expect(config.stopTimeout == 3)
    }

    @Test func aSidecarSharesTheReplicasNamespaceAndPublishesNothing() throws {
        let blueprint = ContainerBlueprint(plan: plan, fingerprint: fingerprint, engineInit: true)
        let config = try blueprint.sidecar(plan.sidecars[0], replica: 0, target: "c0ffee")
        #expect(config.hostConfig?.networkMode == "container:c0ffee")
        #expect(config.hostConfig?.portBindings == nil && config.exposedPorts == nil)
        #expect(config.labels?[ContainerLabels.sidecar] == "metrics")
        #expect(config.cmd == ["/exporter"] && config.entrypoint == nil)
    }

    @Test func aWorkloadWithPortsGetsAFrontDoorHoldingItsNameAndHostPorts() {
        var fixed = plan
        fixed.ports[0].host = 18080
        let door = DoorBlueprint(plan: fixed, image: "wbuild/door:1234")
        let config = door.config()
        #expect(door.name == "wbuild-shop-api-door")
        #expect(config.image == "wbuild/door:1234")
        // It serves the workload's ports but not the debugger, which belongs to each replica.
        #expect(config.cmd == ["--control", "47012", "8080"])
        #expect(config.hostConfig?.portBindings?["8080/tcp"] == [PortBinding(hostIp: "127.0.0.1", hostPort: "18080")])
        // Its control port is not published: wbuild reaches it at the door's address on the network.
        #expect(config.hostConfig?.portBindings?["47012/tcp"] == nil)
        #expect(config.hostConfig?.portBindings?["9229/tcp"] == nil)
        #expect(config.networkingConfig?.endpointsConfig["wbuild-shop"]?.aliases == ["api"])
        // Its control secret is written into the container before it starts: not in env or a label.
        #expect(config.env == nil || config.env == [])
        #expect(!(config.labels ?? [:]).keys.contains { $0.contains("token") || $0.contains("secret") })
        #expect(config.labels?[ContainerLabels.door] == "1" && config.labels?[ContainerLabels.workload] == "api")
        #expect(ContainerLabels.isDoor(config.labels ?? [:]) && !ContainerLabels.isReplica(config.labels ?? [:]))
        // The replicas behind it leave the fixed host port to the door.
        let replica = try? ContainerBlueprint(plan: fixed, fingerprint: fingerprint, engineInit: true).replica(0)
        #expect(replica?.hostConfig?.portBindings?["8080/tcp"] == [PortBinding(hostIp: "127.0.0.1", hostPort: "")])
        #expect(ContainerBlueprint(plan: fixed, fingerprint: fingerprint, engineInit: true).replicaHoldsFixedHostPort,
                "the debugger's fixed port stays on the replica")
        // A change of published ports makes a new door; a new image of the workload does not.
        var moved = fixed
        moved.ports[0].host = 18081
        #expect(DoorBlueprint(plan: moved, image: "wbuild/door:1234").fingerprint != door.fingerprint)
        var rebuilt = fixed
        rebuilt.image = "sha256:def"
        #expect(DoorBlueprint(plan: rebuilt, image: "wbuild/door:1234").fingerprint == door.fingerprint)
    }

    @Test func aWorkloadWithoutPortsIsReachedByItsReplicasAlias() throws {
        var portless = plan
        portless.ports = []
        portless.debugPort = nil
        #expect(!portless.hasFrontDoor)
        let blueprint = ContainerBlueprint(plan: portless, fingerprint: fingerprint, engineInit: true)
        #expect(try blueprint.replica(0).networkingConfig?.endpointsConfig["wbuild-shop"]?.aliases == ["api"])
        // A replacement joins under its container name only; the alias comes once it is ready.
        #expect(try blueprint.replica(0, announced: false).networkingConfig?.endpointsConfig["wbuild-shop"] == EndpointSettings())
    }

    @Test func portsRoundTripThroughLabelsForOtherProcesses() {
        let decoded = ContainerLabels.decodePorts(ContainerLabels.encodePorts(plan.ports, debugPort: plan.debugPort))
        #expect(decoded.map(\.container) == [8080, 9229])
        #expect(decoded.map(\.protocol) == ["http", "tcp"])
        #expect(decoded.map(\.isDebug) == [false, true])
        #expect(PublishedPort(name: nil, container: 8080, hostIP: "0.0.0.0", hostPort: 3000, protocol: "http", isDebug: false).url
            == "http://127.0.0.1:3000")
        #expect(PublishedPort(name: nil, container: 7000, hostIP: "127.0.0.1", hostPort: 3001, protocol: "tcp", isDebug: false).url == nil)
    }

    @Test func crashBackoffDoublesFromHalfASecondUpToThirtySeconds() {
        #expect((1...8).map { WorkloadRuntime.backoff(afterCrashes: $0) }
            == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(30), .seconds(30)])
    }
}
