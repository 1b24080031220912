import Foundation
import Testing
import WBuildSpec
@testable import WBuildRender

/// The Kubernetes objects as `kubectl` users read them: what each spec key becomes, what a
/// cluster cannot run (an error at its key path), and routes that select what the router does.
struct KubernetesRendererTests {
    static func spec(_ text: String) throws -> ProjectSpec {
        try ProjectLoader.parse(Array(text.utf8), fileName: "wbuild.json")
    }

    static let project = """
    { name: "shop", kubernetes: { namespace: "store", imagePullSecrets: ["regcred"], ingressClass: "nginx" },
      workloads: {
        api: { build: { context: "api" }, env: { KV: "${kv.host}:${kv.port}", MODE: "on" },
               secretEnv: { DB_PASSWORD: { env: "SHOP_DB" } },
               ports: [{ name: "http", container: 8080, protocol: "http" }, { name: "grpc", container: 9090, protocol: "grpc" },
                       { name: "debug", container: 5005 }],
               debug: { port: 5005 },
               readiness: { http: { path: "/ready", port: 8080 }, intervalMs: 1500, failureThreshold: 4 },
               liveness: { tcp: { port: 8080 }, initialDelayMs: 3000 },
               startup: { exec: { command: ["check"] } },
               resources: { cpus: 0.25, memory: "128Mi" },
               autoscale: { min: 2, max: 6, cpuPercent: 60 },
               rollout: { order: "start-first", parallelism: 2 },
               routes: [{ path: "/api", stripPrefix: true }, { path: "/status", match: "exact" }],
               sidecars: { metrics: { image: "exporter:1", command: ["run"] } } },
        kv: { image: "redis:7", ports: [{ container: 6379 }], replicas: 2, rollout: { order: "stop-first" },
              volumes: [{ name: "kv_data", target: "/data" }] },
        web: { build: { context: "web" }, ports: [{ container: 80, protocol: "http" }],
               routes: ["/", { path: "/admin", host: "admin.localhost" }] },
      } }
    """

    static func input(_ spec: ProjectSpec, kubeVersion: KubernetesVersion? = nil) -> RenderInput {
        RenderInput(spec: spec, images: [
            "api": RenderedImage(repository: "127.0.0.1:5000/shop/api", tag: "abc", digest: "sha256:1111", isPublished: true),
            "web": RenderedImage(repository: "127.0.0.1:5000/shop/web", tag: "def", digest: "sha256:2222", isPublished: true),
        ], kubeVersion: kubeVersion)
    }

    static func files(_ text: String = project, kubeVersion: KubernetesVersion? = nil) throws -> [String: String] {
        let rendering = try KubernetesRenderer().render(input(try spec(text), kubeVersion: kubeVersion))
        return Dictionary(uniqueKeysWithValues: rendering.files.map { ($0.path, $0.contents) })
    }

    @Test func oneFilePerObjectAndAKustomizationListingThem() throws {
        let files = try Self.files()
        #expect(files.keys.sorted() == [
            "api-configmap.yaml", "api-deployment.yaml", "api-horizontalpodautoscaler.yaml", "api-ingress.yaml",
            "api-secret.yaml", "api-service.yaml", "api-strip-ingress.yaml", "kustomization.yaml", "kv-data-persistentvolumeclaim.yaml",
            "kv-deployment.yaml", "kv-service.yaml", "namespace.yaml", "web-deployment.yaml", "web-ingress.yaml", "web-service.yaml",
        ])
        let kustomization = try #require(files["kustomization.yaml"])
        for name in files.keys where name != "kustomization.yaml" {
            #expect(kustomization.contains("  - \(name)\n"), "kustomization.yaml lists \(name)")
        }
    }

    @Test func theDeploymentCarriesTheWorkloadsProcessPodAndRollout() throws {
        let deployment = try #require(try Self.files()["api-deployment.yaml"])
        #expect(!deployment.contains("replicas:"))  // autoscaled: the HPA owns the count
        #expect(deployment.contains("      maxSurge: 2\n      maxUnavailable: 0\n"))
        #expect(deployment.contains("      imagePullSecrets:\n        - name: regcred\n"))
        #expect(deployment.contains("          image: \"127.0.0.1:5000/shop/api@sha256:1111\"\n"))
        #expect(deployment.contains("            - name: grpc\n              containerPort: 9090\n"))
        #expect(!deployment.contains("5005"))  // the debug port stays on the laptop
        #expect(deployment.contains("          resources:\n            requests:\n              cpu: \"250m\"\n              memory: \"128Mi\"\n            limits:\n              cpu: \"250m\"\n              memory: \"128Mi\"\n"))
        #expect(deployment.contains("          readinessProbe:\n            httpGet:\n              path: /ready\n              port: 8080\n            periodSeconds: 2\n            timeoutSeconds: 1\n            failureThreshold: 4\n"))
        #expect(deployment.contains("          livenessProbe:\n            tcpSocket:\n              port: 8080\n            initialDelaySeconds: 3\n"))
        #expect(deployment.contains("          startupProbe:\n            exec:\n              command:\n                - check\n"))
        #expect(deployment.contains("        - name: metrics\n          image: exporter:1\n          args:\n            - run\n"))
        #expect(deployment.contains("                secretKeyRef:\n                  name: api-secrets\n                  key: DB_PASSWORD\n"))
        let kv = try #require(try Self.files()["kv-deployment.yaml"])
        #expect(kv.contains("  replicas: 2\n"))
        #expect(kv.contains("      maxSurge: 0\n      maxUnavailable: 1\n"))
        #expect(kv.contains("            claimName: kv-data\n"))
    }

    @Test func envIsAConfigMapWithBindingsResolvedToServiceNamesAndNamedByItsContent() throws {
        let files = try Self.files()
        let configMap = try #require(files["api-configmap.yaml"])
        #expect(configMap.contains("  KV: kv:6379\n  MODE: \"on\"\n"))
        let name = try #require(configMap.split(separator: "\n").first { $0.hasPrefix("  name: api-env-") })
        #expect(try #require(files["api-deployment.yaml"]).contains("                name: \(name.dropFirst(8))\n"))
        let changed = try Self.files(Self.project.replacingOccurrences(of: "MODE: \"on\"", with: "MODE: \"off\""))
        #expect(!(try #require(changed["api-configmap.yaml"])).contains(String(name)))
    }

    @Test func secretsHoldNoValues() throws {
        let files = try Self.files()
        let secret = try #require(files["api-secret.yaml"])
        #expect(secret.contains("dev.wbuild.secret-keys: DB_PASSWORD"))
        #expect(!secret.contains("\ndata:") && !secret.contains("stringData"))
        #expect(!files.values.contains { $0.contains("SHOP_DB") })
    }

    @Test func theServiceNamesPortsWithTheirAppProtocol() throws {
        let service = try #require(try Self.files()["api-service.yaml"])
        #expect(service.contains("    - name: http\n      port: 8080\n      targetPort: http\n      protocol: TCP\n      appProtocol: http\n"))
        #expect(service.contains("      appProtocol: grpc\n"))
        #expect(!service.contains("debug"))
        #expect(try #require(try Self.files()["kv-service.yaml"]).contains("    - name: tcp-6379\n"))
    }

    @Test func theAutoscalerIsV2OrV2beta2BelowKubernetes123() throws {
        let current = try #require(try Self.files()["api-horizontalpodautoscaler.yaml"])
        #expect(current.hasPrefix("# Rendered") && current.contains("apiVersion: autoscaling/v2\n"))
        #expect(current.contains("  minReplicas: 2\n  maxReplicas: 6\n"))
        #expect(current.contains("          averageUtilization: 60\n"))
        let old = try #require(try Self.files(kubeVersion: KubernetesVersion(major: 1, minor: 20))["api-horizontalpodautoscaler.yaml"])
        #expect(old.contains("apiVersion: autoscaling/v2beta2\n"))
    }

    @Test func hostlessRoutesAreRepeatedUnderHostsThatDoNotCoverThem() throws {
        let web = try #require(try Self.files()["web-ingress.yaml"])
        // `/` is host-less; admin.localhost has only /admin, so `/` is repeated there (the
        // router falls back to host-less routes; an Ingress host does not).
        #expect(web.contains("    - host: admin.localhost\n"))
        #expect(web.components(separatedBy: "path: /(.*)").count == 3)
        let strip = try #require(try Self.files()["api-strip-ingress.yaml"])
        #expect(strip.contains("nginx.ingress.kubernetes.io/rewrite-target: /$2"))
        #expect(strip.contains("path: /api(/|$)(.*)\n            pathType: ImplementationSpecific\n"))
        let api = try #require(try Self.files()["api-ingress.yaml"])
        #expect(api.contains("path: /status\n            pathType: Exact\n"))
    }

    @Test func withoutStripPrefixPathsArePlainPrefixes() throws {
        let text = Self.project.replacingOccurrences(of: "stripPrefix: true", with: "stripPrefix: false")
        let web = try #require(try Self.files(text)["web-ingress.yaml"])
        #expect(web.contains("path: /\n            pathType: Prefix\n"))
        #expect(!web.contains("use-regex"))
    }

    @Test func httpRoutesRewriteWithTheGatewayAPI() throws {
        let text = Self.project.replacingOccurrences(of: "ingressClass: \"nginx\"", with: "routesAs: \"httproute\", gateway: \"edge\"")
        let files = try Self.files(text)
        #expect(!files.keys.contains { $0.hasSuffix("-ingress.yaml") })
        let api = try #require(files["api-httproute.yaml"])
        #expect(api.contains("  parentRefs:\n    - name: edge\n"))
        #expect(api.contains("              type: ReplacePrefixMatch\n              replacePrefixMatch: /\n"))
        #expect(api.contains("        - path:\n            type: Exact\n            value: /status\n"))
        let admin = try #require(files["web-admin-localhost-httproute.yaml"])
        #expect(admin.contains("  hostnames:\n    - admin.localhost\n"))
    }

    @Test func whatAClusterCannotRunIsAnErrorAtItsKeyPath() throws {
        let text = """
        { name: "p", workloads: {
            a: { image: "x:1", volumes: [{ source: "./data", target: "/data" }], resources: { gpus: 1 },
                 ports: [{ container: 80, protocol: "http" }], routes: [{ path: "/a", stripPrefix: true }] },
            b: { image: "y:1", resources: { gpus: "all" }, autoscale: { min: 1, max: 3 } },
        } }
        """
        let error = try #require(throws: RenderError.self) { try KubernetesRenderer().render(Self.input(try Self.spec(text))) }
        let paths = error.problems.map(\.keyPath)
        #expect(paths.contains("workloads.a.volumes[0]"))
        #expect(paths.contains("workloads.a.resources.gpus"))
        #expect(paths.contains("workloads.a.routes[0]"))
        #expect(paths.contains("workloads.b.resources.gpus"))
        #expect(paths.contains("workloads.b.autoscale"))
        #expect(error.problems.first { $0.keyPath == "workloads.a.routes[0]" }?.hint?.contains("httproute") == true)
    }

    @Test func optedInHostFoldersBecomeEmptyDirsAndGPUsTheNamedResource() throws {
        let text = """
        { name: "p", kubernetes: { hostPaths: "emptyDir", gpuResource: "nvidia.com/gpu" }, workloads: {
            a: { image: "x:1", volumes: [{ source: "./data", target: "/data" }], resources: { gpus: 2 } } } }
        """
        let deployment = try #require(try Self.files(text)["a-deployment.yaml"])
        #expect(deployment.contains("        - name: host-0\n          emptyDir: {}\n"))
        #expect(deployment.contains("            limits:\n              nvidia.com/gpu: 2\n"))
    }

    @Test func anExistingClusterGetsNoNamespaceObject() throws {
        let text = Self.project.replacingOccurrences(of: "namespace: \"store\",", with: "namespace: \"store\", cluster: { existing: true },")
        let files = try Self.files(text)
        #expect(files["namespace.yaml"] == nil)
        #expect(try #require(files["api-deployment.yaml"]).contains("  namespace: store\n"))
    }

    @Test func theSameInputGivesTheSameBytes() throws {
        #expect(try Self.files() == (try Self.files()))
    }
}
