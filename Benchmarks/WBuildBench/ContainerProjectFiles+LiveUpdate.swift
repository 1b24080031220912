import Foundation

/// The liveupdate suite's project: two workloads of busybox httpd.
/// - `web` serves `web/site` straight from `/www`: a synced file is served on the next
///   request (wbuild `restart: "none"`, Compose `action: sync`).
/// - `app` copies `/content/index.html` to `/srv` when it starts, then serves `/srv`: only a
///   restart of the process shows a synced file (wbuild `restart: "process"`, Compose
///   `action: sync+restart`).
extension ContainerProjectFiles {
    static let liveSyncPage = "web/site/index.html"
    static let liveRestartPage = "app/content/index.html"

    static let startScript = """
    #!/bin/sh
    # Reads the page once, at start: a synced /content/index.html shows only after a restart.
    mkdir -p /srv
    cp /content/index.html /srv/index.html
    exec httpd -f -p 8080 -h /srv

    """

    static func writeLiveUpdate(at root: String, name: String, composeWebPort: Int, composeAppPort: Int) throws(BenchError) {
        let label = "LABEL \(DockerPeer.runLabel)=\(name)"
        try write("FROM \(baseImage)\n\(label)\nCOPY site /www\n", to: root + "/web/Dockerfile")
        try write(page("web of \(name)"), to: root + "/" + liveSyncPage)
        try write("FROM \(baseImage)\n\(label)\nCOPY start.sh /start.sh\nCOPY content /content\n",
                  to: root + "/app/Dockerfile")
        try write(startScript, to: root + "/app/start.sh")
        try makeExecutable(root + "/app/start.sh")
        try write(page("app of \(name)"), to: root + "/" + liveRestartPage)
        try write(".wbuild\n", to: root + "/.dockerignore")
        try write(liveUpdateProject(name), to: root + "/wbuild.json")
        try write(liveUpdateCompose(name, webPort: composeWebPort, appPort: composeAppPort), to: root + "/compose.yaml")
    }

    private static func liveUpdateProject(_ name: String) -> String {
        """
        {
          name: "\(name)",
          workloads: {
            web: {
              build: { context: "web" },
              entrypoint: ["httpd", "-f", "-p", "8080", "-h", "/www"],
              ports: [{ name: "http", container: 8080, protocol: "http" }],
              readiness: { http: { path: "/", port: 8080 }, intervalMs: 200 },
              stopGraceMs: 1000,
              liveUpdate: { sync: [{ from: "web/site", to: "/www" }], restart: "none" },
            },
            app: {
              build: { context: "app" },
              entrypoint: ["sh", "/start.sh"],
              ports: [{ name: "http", container: 8080, protocol: "http" }],
              readiness: { http: { path: "/", port: 8080 }, intervalMs: 200 },
              stopGraceMs: 1000,
              liveUpdate: { sync: [{ from: "app/content", to: "/content" }], restart: "process" },
            },
          },
        }

        """
    }

    private static func liveUpdateCompose(_ name: String, webPort: Int, appPort: Int) -> String {
        """
        name: \(name)
        services:
          web:
            build: ./web
            image: \(name)-web:bench
            entrypoint: ["httpd", "-f", "-p", "8080", "-h", "/www"]
            ports: ["127.0.0.1:\(webPort):8080"]
            stop_grace_period: 1s
            develop:
              watch:
                - action: sync
                  path: ./web/site
                  target: /www
          app:
            build: ./app
            image: \(name)-app:bench
            entrypoint: ["sh", "/start.sh"]
            ports: ["127.0.0.1:\(appPort):8080"]
            stop_grace_period: 1s
            develop:
              watch:
                - action: sync+restart
                  path: ./app/content
                  target: /content

        """
    }
}
