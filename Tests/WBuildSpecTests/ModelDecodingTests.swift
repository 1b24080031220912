import Testing
@testable import WBuildSpec

@Suite("Model: the DESIGN.md example loads into the typed model")
struct DesignExampleTests {
    let spec: ProjectSpec

    init() throws {
        spec = try loadSpec(designExample)
    }

    @Test("project-level settings")
    func projectSettings() {
        #expect(spec.name == "shop")
        #expect(spec.publish == PublishSettings(registry: "localhost:5000/shop"))
        #expect(spec.kubernetes == KubernetesSettings(
            namespace: "shop", ingressClass: "nginx", cluster: ClusterSettings(existing: true, context: "prod")))
        #expect(spec.watch == WatchSettings(settleMs: 30, maxDelayMs: 1000, ignore: []))
        #expect(spec.images == ImageSettings(keep: 3))
    }

    @Test("workloads and tasks keep declaration order")
    func order() {
        #expect(spec.workloads.map(\.name) == ["api", "cache"])
        #expect(spec.tasks.map(\.name) == ["assets", "docs"])
    }

    @Test("the api workload carries every setting")
    func apiWorkload() throws {
        let api = try #require(spec.workload(named: "api"))
        #expect(api.source == .build(BuildSpec(
            context: "api", dockerfile: "api/Dockerfile", args: [KeyValuePair("MODE", "dev")], target: "dev")))
        #expect(api.command == ["/app/run.sh"])
        #expect(api.entrypoint == ["/bin/sh", "-c"])
        #expect(api.workdir == "/app")
        #expect(api.env == [KeyValuePair("REDIS_URL", "redis://${cache.host}:${cache.port}")])
        #expect(api.ports == [PortSpec(name: "http", container: 8080, host: nil, hostIP: "127.0.0.1", protocol: .http)])
        #expect(api.resources == ResourceLimits(cpus: 0.5, memoryBytes: 256 * 1024 * 1024, gpus: .count(0)))
        #expect(api.readiness == ProbeSpec(check: .http(path: "/healthz", port: 8080), intervalMs: 500,
                                           timeoutMs: 1000, failureThreshold: 3, initialDelayMs: 0))
        #expect(api.liveness == ProbeSpec(check: .tcp(port: 8080), failureThreshold: 3))
        #expect(api.replicas == 2)
        #expect(api.autoscale == AutoscaleSpec(min: 1, max: 5, cpuPercent: 70))
        #expect(api.routes == [RouteRule(workload: "api", path: "/api")])
        #expect(api.volumes == [
            VolumeSpec(source: .hostPath("./data"), target: "/data", readOnly: false),
            VolumeSpec(source: .named("cache"), target: "/cache", readOnly: false),
        ])
        #expect(api.sidecars == [SidecarSpec(name: "metrics", image: "exporter:1", command: ["/exporter"])])
        #expect(api.debug == DebugSpec(port: 9229))
        #expect(api.dependsOn == [DependencyReference(.workload, "cache")])
        #expect(api.stopGraceMs == 2000)
        #expect(api.liveUpdate == LiveUpdateSpec(
            fallBackOn: ["api/deps.txt"],
            sync: [SyncRule(from: "api/src", to: "/app/src")],
            run: [RunStep(command: .shell("install-deps"), trigger: ["api/deps.txt"])],
            restart: .process))
        #expect(api.bindingReferences == [
            BindingReference(workload: "cache", field: .host), BindingReference(workload: "cache", field: .port(name: nil)),
        ])
    }

    @Test("the cache workload gets defaults for what it leaves out")
    func cacheWorkload() throws {
        let cache = try #require(spec.workload(named: "cache"))
        #expect(cache == WorkloadSpec(
            name: "cache", source: .image("wbuild-samples/kv:1"),
            ports: [PortSpec(container: 6379, protocol: .tcp)]))
        #expect(cache.replicas == 1)
        #expect(cache.resources == ResourceLimits())
    }

    @Test("tasks: cmd and serve")
    func tasks() {
        #expect(spec.task(named: "assets") == TaskSpec(
            name: "assets", command: .shell("make assets"), inputs: ["web/src/**"], outputs: ["web/dist"]))
        #expect(spec.task(named: "docs") == TaskSpec(
            name: "docs", serve: .shell("python3 -m http.server 8000"), inputs: ["docs/**"]))
    }
}

@Suite("Model: shapes the file may use")
struct ModelShapeTests {
    @Test("a command string means /bin/sh -c; an array runs as is")
    func commandShapes() throws {
        let spec = try loadSpec(project(workloads: """
            { a: { image: 'x', command: 'echo $HOME && run' }, b: { image: 'x', command: ['run', '--fast'] } }
            """, tasks: "{ t: { cmd: ['make', 'all'] } }"))
        #expect(spec.workload(named: "a")?.command == ["/bin/sh", "-c", "echo $HOME && run"])
        #expect(spec.workload(named: "b")?.command == ["run", "--fast"])
        #expect(spec.task(named: "t")?.command == .argv(["make", "all"]))
        #expect(TaskCommand.shell("make").arguments == ["/bin/sh", "-c", "make"])
    }

    @Test("env keeps order; numbers and booleans become their text")
    func envOrder() throws {
        let spec = try loadSpec(project(workloads: "{ a: { image: 'x', env: { Z: 'z', PORT: 8080, DEBUG: true, A: '' } } }"))
        #expect(spec.workload(named: "a")?.env == [
            KeyValuePair("Z", "z"), KeyValuePair("PORT", "8080"), KeyValuePair("DEBUG", "true"), KeyValuePair("A", ""),
        ])
    }

    @Test("memory sizes in every accepted unit", arguments: [
        ("'256Mi'", 268_435_456), ("'1Gi'", 1_073_741_824), ("'512M'", 512_000_000), ("'1024k'", 1_024_000),
        ("'1024K'", 1_024_000), ("'2Ki'", 2048), ("'1.5Gi'", 1_610_612_736), ("'1T'", 1_000_000_000_000),
        ("'4096'", 4096), ("4096", 4096),
    ])
    func memorySizes(written: String, bytes: Int) throws {
        let spec = try loadSpec(project(workloads: "{ a: { image: 'x', resources: { memory: \(written) } } }"))
        #expect(spec.workload(named: "a")?.resources.memoryBytes == bytes)
    }

    @Test("gpus: a count or \"all\"")
    func gpus() throws {
        let spec = try loadSpec(project(workloads: "{ a: { image: 'x', resources: { gpus: 'all' } }, b: { image: 'x', resources: { gpus: 2 } } }"))
        #expect(spec.workload(named: "a")?.resources.gpus == .all)
        #expect(spec.workload(named: "b")?.resources.gpus == .count(2))
    }

    @Test("ports: host, hostIp and protocol when given")
    func portDetails() throws {
        let spec = try loadSpec(project(workloads: "{ a: { image: 'x', ports: [{ container: 50051, host: 9000, hostIp: '0.0.0.0', protocol: 'grpc' }] } }"))
        #expect(spec.workload(named: "a")?.ports == [PortSpec(container: 50051, host: 9000, hostIP: "0.0.0.0", protocol: .grpc)])
    }

    @Test("probes: exec, and every timing setting")
    func execProbe() throws {
        let spec = try loadSpec(project(workloads: """
            { a: { image: 'x', readiness: { exec: { command: ['pg_isready'] }, intervalMs: 200, timeoutMs: 50,
                                            failureThreshold: 5, initialDelayMs: 1000 } } }
            """))
        #expect(spec.workload(named: "a")?.readiness == ProbeSpec(
            check: .exec(command: ["pg_isready"]), intervalMs: 200, timeoutMs: 50, failureThreshold: 5, initialDelayMs: 1000))
    }

    @Test("dependsOn: plain and qualified names resolve to tasks and workloads")
    func dependencies() throws {
        let spec = try loadSpec(project(
            workloads: "{ api: { image: 'x', dependsOn: ['assets', 'workload:db', 'task:gen'] }, db: { image: 'y' } }",
            tasks: "{ assets: { cmd: 'make' }, gen: { cmd: 'gen', dependsOn: ['assets'] } }"))
        #expect(spec.workload(named: "api")?.dependsOn == [
            DependencyReference(.task, "assets"), DependencyReference(.workload, "db"), DependencyReference(.task, "gen"),
        ])
        #expect(spec.task(named: "gen")?.dependsOn.map(\.nodeID) == ["task:assets"])
    }

    @Test("watch, images, volumes readOnly, stopGraceMs and restart policy when given")
    func otherSettings() throws {
        let spec = try loadSpec("""
            { name: 'p', watch: { settleMs: 50, maxDelayMs: 2000, ignore: ['*.tmp'] }, images: { keep: 1 },
              workloads: { a: { build: { context: '.' }, stopGraceMs: 0,
                                volumes: [{ source: '/etc/hosts', target: '/etc/hosts', readOnly: true }],
                                liveUpdate: { restart: 'none' } } } }
            """)
        #expect(spec.watch == WatchSettings(settleMs: 50, maxDelayMs: 2000, ignore: ["*.tmp"]))
        #expect(spec.images.keep == 1)
        let workload = try #require(spec.workload(named: "a"))
        #expect(workload.stopGraceMs == 0)
        #expect(workload.volumes == [VolumeSpec(source: .hostPath("/etc/hosts"), target: "/etc/hosts", readOnly: true)])
        #expect(workload.liveUpdate?.restart == RestartPolicy.none)
        #expect(workload.source == .build(BuildSpec(context: ".")))
    }

    @Test("a project with only a name loads with empty lists and defaults")
    func minimal() throws {
        #expect(try loadSpec("{ name: 'p' }") == ProjectSpec(name: "p"))
    }
}
