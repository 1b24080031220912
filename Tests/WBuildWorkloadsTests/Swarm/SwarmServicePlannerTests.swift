import Foundation
import Testing
import WBuildDocker
import WBuildSpec
@testable import WBuildWorkloads

/// Spec → Swarm services as `docker stack` users expect them, and the plan that leaves an
/// unchanged service alone and names what changed in another.
struct SwarmServicePlannerTests {
    static func spec(_ text: String) throws -> ProjectSpec {
        try ProjectLoader.parse(Array(text.utf8), fileName: "wbuild.json")
    }

    static let project = """
    { name: "shop", workloads: {
        api: { build: { context: "api" }, entrypoint: ["httpd", "-f"], env: { KV: "${kv.host}:${kv.port}" },
               ports: [{ name: "http", container: 8080, protocol: "http" }],
               readiness: { http: { path: "/healthz", port: 8080 }, intervalMs: 500, failureThreshold: 2 },
               resources: { cpus: 0.5, memory: "64Mi" }, replicas: 3,
               sidecars: { logs: { image: "shipper:1" } } },
        kv: { image: "redis:7", ports: [{ container: 6379 }], readiness: { exec: { command: ["redis-cli", "ping"] } },
              volumes: [{ name: "data", target: "/data" }] },
    } }
    """

    static func deployment(_ spec: ProjectSpec, api: String = "r/shop/api@sha256:aa") -> SwarmDeployment {
        SwarmDeployment(spec: spec, stack: "shop", images: ["api": api, "kv": "redis:7"], probeImages: ["api"])
    }

    @Test func servicesAreNamedAndLabelledAsDockerStackDoes() throws {
        let services = SwarmServicePlanner.services(Self.deployment(try Self.spec(Self.project)))
        #expect(services.map(\.spec.Name) == ["shop_api", "shop_api-logs", "shop_kv"])
        let api = try #require(services.first)
        #expect(api.spec.Labels["com.docker.stack.namespace"] == "shop")
        #expect(api.spec.Labels[SwarmDesiredService.fingerprintLabel] == api.fingerprint)
        let container = api.spec.TaskTemplate.ContainerSpec
        #expect(container.Image == "r/shop/api@sha256:aa")
        #expect(container.Command == ["httpd", "-f"])
        #expect(container.Env == ["KV=kv:6379"])
        #expect(container.Healthcheck?.Test == ["CMD", "/.wbuild/init", "probe", "http", "8080", "/healthz", "1000"])
        #expect(container.Healthcheck?.Retries == 2)
        #expect(api.spec.TaskTemplate.Resources?.Limits?.NanoCPUs == 500_000_000)
        #expect(api.spec.Mode.Replicated?.Replicas == 3)
        #expect(api.spec.UpdateConfig?.Order == "start-first")
        #expect(api.spec.UpdateConfig?.FailureAction == "rollback")
        #expect(api.spec.EndpointSpec?.Mode == "dnsrr")
        #expect(api.spec.TaskTemplate.Networks?.first?.Aliases == ["api"])
        let kv = try #require(services.last)
        #expect(kv.spec.TaskTemplate.ContainerSpec.Healthcheck?.Test == ["CMD", "redis-cli", "ping"])
        #expect(kv.spec.TaskTemplate.ContainerSpec.Mounts == [.init(Type: "volume", Source: "shop_data", Target: "/data")])
    }

    @Test func anHTTPCheckWithoutTheProbeBakedInIsLeftOut() throws {
        var deployment = Self.deployment(try Self.spec(Self.project))
        deployment.probeImages = []
        #expect(SwarmServicePlanner.services(deployment).first?.spec.TaskTemplate.ContainerSpec.Healthcheck == nil)
    }

    /// A live service as the engine lists it, carrying what a deploy labelled it with.
    static func live(_ desired: SwarmDesiredService, id: String) throws -> SwarmService {
        let json: [String: Any] = ["ID": id, "Version": ["Index": 7], "Spec": ["Name": desired.spec.Name, "Labels": desired.spec.Labels]]
        return try JSONDecoder().decode(SwarmService.self, from: JSONSerialization.data(withJSONObject: json))
    }

    @Test func thePlanLeavesWhatMatchesAndNamesWhatChanged() throws {
        let spec = try Self.spec(Self.project)
        let before = SwarmServicePlanner.services(Self.deployment(spec))
        let live = try before.enumerated().map { try Self.live($0.element, id: "id\($0.offset)") }
        #expect(SwarmPlan.changes(desired: before, live: live).map(\.verb) == ["unchanged", "unchanged", "unchanged"])

        var gone = spec
        gone.workloads = [SwarmServicePlannerTests.oldWorkload]
        let stale = try Self.live(try #require(SwarmServicePlanner.services(Self.deployment(gone)).first), id: "old")
        let after = SwarmServicePlanner.services(Self.deployment(spec, api: "r/shop/api@sha256:bb"))
        let changes = SwarmPlan.changes(desired: after, live: live + [stale])
        #expect(changes.map(\.verb) == ["update", "unchanged", "unchanged", "remove"])
        guard case .update(_, _, let fields) = changes[0] else { Issue.record("no update"); return }
        #expect(fields == ["image", "labels"])  // com.docker.stack.image follows the image
        #expect(changes[3].serviceName == "shop_old")
    }

    static let oldWorkload = WorkloadSpec(name: "old", source: .image("old:1"))

    @Test func theSameSpecGivesTheSameFingerprint() throws {
        let spec = try Self.spec(Self.project)
        #expect(SwarmServicePlanner.services(Self.deployment(spec)) == SwarmServicePlanner.services(Self.deployment(spec)))
    }

    @Test func routesRunAsAGlobalRouterPublishedInHostModeThatFindsTasksByDNS() throws {
        let text = """
        { name: "shop", router: { port: 8088 }, workloads: {
            web: { build: { context: "web" }, ports: [{ container: 8080, protocol: "http" }], routes: ["/"] },
            api: { build: { context: "api" }, ports: [{ container: 9000, protocol: "http2" }], routes: [{ path: "/api", stripPrefix: true }] },
        } }
        """
        var deployment = SwarmDeployment(spec: try Self.spec(text), stack: "store", images: ["web": "r/web@sha256:1", "api": "r/api@sha256:2"])
        #expect(!SwarmServicePlanner.services(deployment).contains { $0.spec.Name == "store_router" }, "no router image: no router")
        deployment.routerImage = "r/wbuild-router@sha256:3"
        let router = try #require(SwarmServicePlanner.services(deployment).first { $0.spec.Name == "store_router" })
        #expect(router.spec.Mode.Global != nil && router.spec.Mode.Replicated == nil)
        #expect(router.spec.EndpointSpec?.Ports == [.init(TargetPort: 8000, PublishedPort: 8088, PublishMode: "host")])
        #expect(router.spec.UpdateConfig?.Order == "stop-first", "a fixed host port cannot hold two tasks on one node")
        let arguments = router.spec.TaskTemplate.ContainerSpec.Args ?? []
        // Precedence order: the longer prefix first.
        #expect(arguments.joined(separator: " ").contains("--route api prefix - 1 /api --route web prefix - 0 /"), "\(arguments)")
        #expect(arguments.contains("api tasks.store_api 9000 h2"))
        #expect(arguments.contains("web tasks.store_web 8080 http"))
        #expect(router.spec.Labels["com.docker.stack.namespace"] == "store")
        #expect(router.spec.TaskTemplate.Networks?.first?.Target == "store_default")
    }
}
