import Testing
import WBuildSpec
@testable import WBuildRender

/// The Swarm stack as `docker stack deploy` users read it: one service per workload and per
/// sidecar, bindings resolved to service names, rollout as update/rollback config, secrets
/// external and never in the file, and a clear error for what a swarm cannot mount.
struct SwarmStackRendererTests {
    static func spec(_ text: String) throws -> ProjectSpec {
        try ProjectLoader.parse(Array(text.utf8), fileName: "wbuild.json")
    }

    static let project = """
    { name: "shop", swarm: { stack: "store" },
      workloads: {
        api: { build: { context: "api" }, env: { KV: "${kv.host}:${kv.port}", MODE: "on" },
               secretEnv: { DB_PASSWORD: { env: "SHOP_DB" } },
               ports: [{ name: "http", container: 8080, protocol: "http" }],
               readiness: { exec: { command: ["check", "--ready"] }, intervalMs: 1500, failureThreshold: 4 },
               resources: { cpus: 0.25, memory: "128Mi" }, replicas: 3,
               rollout: { order: "stop-first", parallelism: 2, failureAction: "pause", monitorMs: 10000 },
               sidecars: { metrics: { image: "exporter:1", command: ["run"] } } },
        kv: { image: "redis:7", ports: [{ container: 6379 }], volumes: [{ name: "data", target: "/data" }] },
      } }
    """

    static func input(_ spec: ProjectSpec) -> RenderInput {
        RenderInput(spec: spec, images: [
            "api": RenderedImage(repository: "127.0.0.1:5000/shop/api", tag: "abc", digest: "sha256:1111", isPublished: true),
        ])
    }

    @Test func servicesCarryWhatTheSpecSays() throws {
        let rendering = try SwarmStackRenderer().render(Self.input(try Self.spec(Self.project)))
        let stack = try #require(rendering.files.first { $0.path == "stack.yaml" }).contents
        #expect(stack.hasPrefix("# The store stack"))
        #expect(stack.contains("    image: \"127.0.0.1:5000/shop/api@sha256:1111\"\n"))
        #expect(stack.contains("      KV: kv:6379\n"))
        #expect(stack.contains("      MODE: \"on\"\n"))  // a YAML 1.1 boolean stays a string
        #expect(stack.contains("  api-metrics:\n    image: exporter:1\n"))
        #expect(stack.contains("      replicas: 3\n"))
        #expect(stack.contains("        order: stop-first\n        failure_action: pause\n        monitor: \"10s\"\n"))
        #expect(stack.contains("      test:\n        - CMD\n        - check\n        - \"--ready\"\n      interval: \"1500ms\"\n"))
        #expect(stack.contains("      retries: 4\n"))
        #expect(stack.contains("          cpus: \"0.25\"\n          memory: \"128m\"\n"))
        #expect(stack.contains("      - data:/data\n"))
        #expect(stack.contains("  api_DB_PASSWORD:\n    external: true\n    name: store_api_DB_PASSWORD\n"))
        #expect(stack.contains("      - source: api_DB_PASSWORD\n        target: DB_PASSWORD\n"))
        #expect(rendering.warnings.contains { $0.contains("api's sidecar metrics runs as the service api-metrics") })
    }

    @Test func secretValuesAreNeverWritten() throws {
        let rendering = try SwarmStackRenderer().render(Self.input(try Self.spec(Self.project)))
        // The spec holds only where the value comes from; neither that source's value nor its
        // name as an environment variable's value appears.
        #expect(!rendering.files.contains { $0.contents.contains("SHOP_DB") })
    }

    @Test func theSameInputGivesTheSameBytes() throws {
        let spec = try Self.spec(Self.project)
        #expect(try SwarmStackRenderer().render(Self.input(spec)) == SwarmStackRenderer().render(Self.input(spec)))
    }

    @Test func aHostFolderIsAnErrorAtItsKeyPath() throws {
        let spec = try Self.spec("""
        { name: "shop", workloads: { db: { image: "pg:16", volumes: [{ name: "ok", target: "/a" }, { source: "./data", target: "/var/lib/db" }] } } }
        """)
        #expect {
            _ = try SwarmStackRenderer().render(RenderInput(spec: spec, images: [:]))
        } throws: { error in
            guard let error = error as? RenderError else { return false }
            return error.problems.map(\.keyPath) == ["workloads.db.volumes[1]"] && error.problems[0].message.contains("./data")
        }
    }

    @Test func aSidecarThatAsksForLoopbackIsToldToUseTheWorkloadsName() throws {
        let spec = try Self.spec(Self.project.replacingOccurrences(of: "command: [\"run\"]",
                                                                    with: "command: [\"run\", \"--target=http://127.0.0.1:8080/metrics\"]"))
        let rendering = try SwarmStackRenderer().render(RenderInput(spec: spec, images: [:]))
        let warning = rendering.warnings.first { $0.contains("api's sidecar metrics") }
        #expect(warning?.contains("it asks for 127.0.0.1, which will not reach api on a swarm: write `${api.host}` instead") == true, "\(rendering.warnings)")
        let plain = try SwarmStackRenderer().render(RenderInput(spec: try Self.spec(Self.project), images: [:]))
        #expect(plain.warnings.contains { $0.contains("api's sidecar metrics") && !$0.contains("it asks for") }, "\(plain.warnings)")
    }

    @Test func unpublishedImagesAreWarnedAbout() throws {
        let spec = try Self.spec(Self.project)
        let rendering = try SwarmStackRenderer().render(RenderInput(spec: spec, images: [
            "api": RenderedImage(parsing: "wbuild/shop-api:0123456789abcdef", isPublished: false),
        ]))
        #expect(rendering.warnings.contains { $0.hasPrefix("api runs the local image wbuild/shop-api:0123456789abcdef") })
        #expect(!rendering.warnings.contains { $0.hasPrefix("kv runs the local image") })  // redis:7 is a registry's
    }
}
