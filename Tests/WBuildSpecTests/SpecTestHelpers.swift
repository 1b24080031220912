@testable import WBuildSpec

/// The example project from DESIGN.md ("Project file"), verbatim.
let designExample = """
{
  name: "shop",                      // project: labels, network, image names
  workloads: {
    api: {
      build: { context: "api", dockerfile: "api/Dockerfile", args: { MODE: "dev" }, target: "dev" },
      command: ["/app/run.sh"], entrypoint: ["/bin/sh", "-c"], workdir: "/app",
      env: { REDIS_URL: "redis://${cache.host}:${cache.port}" },   // c:bindings: creates an edge
      ports: [{ name: "http", container: 8080, protocol: "http" }],  // host port auto unless given
      resources: { cpus: 0.5, memory: "256Mi", gpus: 0 },
      readiness: { http: { path: "/healthz", port: 8080 }, intervalMs: 500 },
      liveness: { tcp: { port: 8080 }, failureThreshold: 3 },
      replicas: 2, autoscale: { min: 1, max: 5, cpuPercent: 70 },
      routes: ["/api"],
      volumes: [{ source: "./data", target: "/data" }, { name: "cache", target: "/cache" }],
      sidecars: { metrics: { image: "exporter:1", command: ["/exporter"] } },
      debug: { port: 9229 },
      dependsOn: ["cache"],
      liveUpdate: {
        fallBackOn: ["api/deps.txt"],
        sync: [{ from: "api/src", to: "/app/src" }],
        run: [{ cmd: "install-deps", trigger: ["api/deps.txt"] }],
        restart: "process"            // or "container", or "none"
      }
    },
    cache: { image: "wbuild-samples/kv:1", ports: [{ container: 6379, protocol: "tcp" }] }
  },
  tasks: {
    assets: { cmd: "make assets", inputs: ["web/src/**"], outputs: ["web/dist"] },
    docs:   { serve: "python3 -m http.server 8000", inputs: ["docs/**"] }
  },
  publish: { registry: "localhost:5000/shop" },
  kubernetes: { namespace: "shop", ingressClass: "nginx", cluster: { existing: true, context: "prod" } }
}
"""

func loadSpec(_ text: String) throws(SpecError) -> ProjectSpec {
    try ProjectLoader.parse(Array(text.utf8), fileName: "wbuild.json")
}

/// The diagnostics loading `text` produces (empty when it loads).
func diagnostics(_ text: String) -> [SpecDiagnostic] {
    do {
        _ = try loadSpec(text)
        return []
    } catch {
        return error.diagnostics
    }
}

/// A minimal valid project around `workloads` and `tasks` bodies (JSON5 object text).
func project(workloads: String = "{}", tasks: String = "{}") -> String {
    "{ name: 'p', workloads: \(workloads), tasks: \(tasks) }"
}
