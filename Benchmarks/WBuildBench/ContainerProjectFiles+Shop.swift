import Foundation

/// The up suite's project, shaped like Samples/shop: web → api → kv, each busybox httpd
/// with a readiness probe, web and api finding their upstream through bindings, a sidecar
/// sharing api's network namespace, and a named volume on kv. `web` has no live update,
/// so every edit under `web/` rebuilds its image and replaces its container.
extension ContainerProjectFiles {
    /// The page `web` serves, edited by the rebuild-and-replace timing.
    static let shopWebPage = "web/www/index.html"

    static func writeShop(at root: String, name: String, composeWebPort: Int) throws(BenchError) {
        for service in ["web", "api", "kv"] {
            try write("FROM \(baseImage)\nLABEL \(DockerPeer.runLabel)=\(name)\nCOPY www /www\n",
                      to: root + "/\(service)/Dockerfile")
            try write(page("\(service) of \(name)"), to: root + "/\(service)/www/index.html")
        }
        try write("ok\n", to: root + "/api/www/health")
        try write(".wbuild\n", to: root + "/.dockerignore")
        try write(shopProject(name), to: root + "/wbuild.json")
        try write(shopCompose(name, webPort: composeWebPort), to: root + "/compose.yaml")
    }

    private static func shopProject(_ name: String) -> String {
        """
        {
          name: "\(name)",
          workloads: {
            web: {
              build: { context: "web" },
              entrypoint: ["httpd", "-f", "-p", "8080", "-h", "/www"],
              env: { API_URL: "${api.url}" },
              ports: [{ name: "http", container: 8080, protocol: "http" }],
              readiness: { http: { path: "/", port: 8080 }, intervalMs: 200 },
              dependsOn: ["api"],
              stopGraceMs: 1000,
            },
            api: {
              build: { context: "api" },
              entrypoint: ["httpd", "-f", "-p", "8080", "-h", "/www"],
              env: { KV_ADDR: "${kv.host}:${kv.port}" },
              ports: [{ name: "http", container: 8080, protocol: "http" }],
              readiness: { http: { path: "/health", port: 8080 }, intervalMs: 200 },
              sidecars: {
                heartbeat: {
                  image: "\(baseImage)",
                  entrypoint: ["sh", "-c"],
                  command: ["while true; do wget -q -O /dev/null http://127.0.0.1:8080/health; sleep 10; done"],
                },
              },
              dependsOn: ["kv"],
              stopGraceMs: 1000,
            },
            kv: {
              build: { context: "kv" },
              entrypoint: ["httpd", "-f", "-p", "7000", "-h", "/www"],
              ports: [{ name: "kv", container: 7000, protocol: "http" }],
              readiness: { tcp: { port: 7000 }, intervalMs: 200 },
              volumes: [{ name: "data", target: "/data" }],
              stopGraceMs: 1000,
            },
          },
        }

        """
    }

    /// The same app for Compose: healthchecks run the same probes inside the containers
    /// every 200 ms (busybox `wget` for HTTP, `nc` for TCP), `depends_on` waits for
    /// `service_healthy` as wbuild's `dependsOn` waits for ready, and Compose Watch rebuilds
    /// `web` on any change under `web/`.
    private static func shopCompose(_ name: String, webPort: Int) -> String {
        func health(_ test: String) -> String {
            """
                healthcheck:
                  test: \(test)
                  interval: 200ms
                  timeout: 1s
                  retries: 150
            """
        }
        return """
        name: \(name)
        services:
          web:
            build: ./web
            image: \(name)-web:bench
            entrypoint: ["httpd", "-f", "-p", "8080", "-h", "/www"]
            environment: { API_URL: "http://api:8080" }
            ports: ["127.0.0.1:\(webPort):8080"]
        \(health("[\"CMD\", \"wget\", \"-q\", \"-O\", \"/dev/null\", \"http://127.0.0.1:8080/\"]"))
            depends_on: { api: { condition: service_healthy } }
            stop_grace_period: 1s
            develop:
              watch:
                - action: rebuild
                  path: ./web
          api:
            build: ./api
            image: \(name)-api:bench
            entrypoint: ["httpd", "-f", "-p", "8080", "-h", "/www"]
            environment: { KV_ADDR: "kv:7000" }
            ports: ["127.0.0.1::8080"]
        \(health("[\"CMD\", \"wget\", \"-q\", \"-O\", \"/dev/null\", \"http://127.0.0.1:8080/health\"]"))
            depends_on: { kv: { condition: service_healthy } }
            stop_grace_period: 1s
          heartbeat:
            image: \(baseImage)
            network_mode: "service:api"
            entrypoint: ["sh", "-c"]
            command: ["while true; do wget -q -O /dev/null http://127.0.0.1:8080/health; sleep 10; done"]
            depends_on: [api]
            labels: { \(DockerPeer.runLabel): \(name) }
          kv:
            build: ./kv
            image: \(name)-kv:bench
            entrypoint: ["httpd", "-f", "-p", "7000", "-h", "/www"]
            ports: ["127.0.0.1::7000"]
        \(health("[\"CMD-SHELL\", \"nc -w 1 127.0.0.1 7000 </dev/null\"]"))
            volumes: ["data:/data"]
            stop_grace_period: 1s
        volumes:
          data: {}

        """
    }
}
