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
        let httpProbe = { (path: String) in "[\"CMD\", \"wget\", \"-q\", \"-O\", \"/dev/null\", \"http://127.0.0.1:8080\(path)\"]" }
        return """
        name: \(name)
        services:
        \(httpdService("web", of: name, port: 8080, hostPort: webPort, health: httpProbe("/"), """
            environment: { API_URL: "http://api:8080" }
            depends_on: { api: { condition: service_healthy } }
            develop:
              watch:
                - action: rebuild
                  path: ./web
            """))
        \(httpdService("api", of: name, port: 8080, health: httpProbe("/health"), """
            environment: { KV_ADDR: "kv:7000" }
            depends_on: { kv: { condition: service_healthy } }
            """))
          heartbeat:
            image: \(baseImage)
            network_mode: "service:api"
            entrypoint: ["sh", "-c"]
            command: ["while true; do wget -q -O /dev/null http://127.0.0.1:8080/health; sleep 10; done"]
            depends_on: [api]
            labels: { \(DockerPeer.runLabel): \(name) }
        \(httpdService("kv", of: name, port: 7000, health: "[\"CMD-SHELL\", \"nc -w 1 127.0.0.1 7000 </dev/null\"]", """
            volumes: ["data:/data"]
            """))
        volumes:
          data: {}

        """
    }

    /// One service of the shop for Compose: busybox httpd serving /www on `port` from the image
    /// built in `./<service>`, published on 127.0.0.1 (`hostPort`, or one the engine picks),
    /// healthy once `health` passes (tried every 200 ms), stopped within 1 s; then `more`, the
    /// service's own keys (written at column 0, indented here).
    private static func httpdService(_ service: String, of name: String, port: Int, hostPort: Int? = nil,
                                     health: String, _ more: String) -> String {
        let own = more.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        return """
          \(service):
            build: ./\(service)
            image: \(name)-\(service):bench
            entrypoint: ["httpd", "-f", "-p", "\(port)", "-h", "/www"]
            ports: ["127.0.0.1:\(hostPort.map(String.init) ?? ""):\(port)"]
            healthcheck:
              test: \(health)
              interval: 200ms
              timeout: 1s
              retries: 150
            stop_grace_period: 1s
        \(own)
        """
    }
}
