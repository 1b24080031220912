import Foundation
import WBuildSystem

/// The router suite's backend image: `Benchmarks/backend/bench-http.c` compiled
/// `cc -static -O2` and copied into a FROM scratch image, tagged by the source's hash
/// (`wbuild-bench/http:<hash>`) so later runs reuse it. Built through the engine from a context
/// of the binary and a Dockerfile: nothing is pulled.
enum BenchBackend {
    static let repository = "wbuild-bench/http"

    static func image(source: String, root: String) async throws(BenchError) -> String {
        guard let text = try? Data(contentsOf: URL(fileURLWithPath: source)) else {
            throw BenchError(.fileSystem, "router: cannot read the backend's source \(source)",
                             hint: "run from the repository's root, or pass --backend-source PATH")
        }
        let hash = [UInt8](text).reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        let tag = repository + ":" + String(format: "%016llx", hash)
        if let inspected = try? await ProcessTimer.run(DockerPeer.docker(["image", "inspect", "-f", "{{.Id}}", tag]), in: root),
           inspected.status.isSuccess {
            return tag
        }
        let context = root + "/backend"
        try TreeGenerator.makeDirectories(context)
        Progress.say("router: compiling \(source) (cc -static -O2) and building \(tag)")
        try await ProcessTimer.runChecked(.argv(["cc", "-static", "-O2", "-pthread", "-o", context + "/bench-http", source]),
                                          in: root)
        try ContainerProjectFiles.write("""
        FROM scratch
        COPY bench-http /bench-http
        EXPOSE 8080
        ENTRYPOINT ["/bench-http", "8080"]

        """, to: context + "/Dockerfile")
        try await ProcessTimer.runChecked(DockerPeer.docker(["build", "-q", "-t", tag, context]), in: root)
        return tag
    }
}

/// The containers of a wbuild project as `docker inspect` shows them: which is the router,
/// a door, a replica; each one's address on the project network and its published ports.
struct ProjectContainers {
    struct Container {
        var name: String
        var workload: String?
        var isDoor: Bool
        var isRouter: Bool
        var isSidecar: Bool
        var ip: String
        /// `8080/tcp=127.0.0.1:32768 …`
        var ports: String

        /// The host port published for `containerPort`/tcp.
        func hostPort(_ containerPort: Int) -> Int? {
            for entry in ports.split(separator: " ") where entry.hasPrefix("\(containerPort)/tcp=") {
                if let port = entry.split(separator: ":").last.flatMap({ Int($0) }) { return port }
            }
            return nil
        }
    }

    var project: String
    var containers: [Container]

    static func read(project: String, in root: String) async throws(BenchError) -> ProjectContainers {
        let ids = try await ProcessTimer.runChecked(
            DockerPeer.docker(["ps", "-q", "--filter", "label=dev.wbuild.project=\(project)"]), in: root)
            .output.filter { $0.stream == .stdout }.map(\.line).filter { !$0.isEmpty }
        guard !ids.isEmpty else {
            throw BenchError(.commandFailed, "router: no running container of project \(project) after `wbuild up`")
        }
        let network = "wbuild-\(project)"
        let format = [
            "{{.Name}}",
            "{{index .Config.Labels \"dev.wbuild.workload\"}}",
            "{{index .Config.Labels \"dev.wbuild.door\"}}",
            "{{index .Config.Labels \"dev.wbuild.router\"}}",
            "{{index .Config.Labels \"dev.wbuild.sidecar\"}}",
            "{{with index .NetworkSettings.Networks \"\(network)\"}}{{.IPAddress}}{{end}}",
            "{{range $p, $b := .NetworkSettings.Ports}}{{$p}}={{range $b}}{{.HostIp}}:{{.HostPort}}{{end}} {{end}}",
        ].joined(separator: "|")
        let lines = try await ProcessTimer.runChecked(DockerPeer.docker(["inspect", "--format", format] + ids), in: root)
            .output.filter { $0.stream == .stdout }.map(\.line).filter { !$0.isEmpty }
        let containers = lines.compactMap { line -> Container? in
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map {
                let value = String($0)
                return value == "<no value>" ? "" : value
            }
            guard fields.count == 7 else { return nil }
            return Container(name: String(fields[0].drop(while: { $0 == "/" })), workload: fields[1].isEmpty ? nil : fields[1],
                             isDoor: !fields[2].isEmpty, isRouter: !fields[3].isEmpty, isSidecar: !fields[4].isEmpty,
                             ip: fields[5], ports: fields[6].trimmingCharacters(in: .whitespaces))
        }
        return ProjectContainers(project: project, containers: containers)
    }

    func door(of workload: String) throws(BenchError) -> Container {
        try one("\(workload)'s door") { $0.isDoor && $0.workload == workload }
    }

    func replica(of workload: String) throws(BenchError) -> Container {
        try one("a replica of \(workload)") { !$0.isDoor && !$0.isRouter && !$0.isSidecar && $0.workload == workload }
    }

    private func one(_ what: String, _ matches: (Container) -> Bool) throws(BenchError) -> Container {
        guard let found = containers.first(where: matches), !found.ip.isEmpty else {
            throw BenchError(.commandFailed, "router: no running container with an address on wbuild-\(project) for \(what)",
                             detail: containers.map { "\($0.name) \($0.ip) \($0.ports)" }.joined(separator: "\n"))
        }
        return found
    }
}

/// nginx from Debian on the host, in the foreground with its own configuration in the run's
/// temp directory: `worker_processes` = the CPU count, an upstream per workload to the same
/// replica addresses the router dials (keepalive 64, HTTP/1.1, `Connection ""`), the routes as
/// locations, the same X-Forwarded-* headers the router adds, access_log off.
struct NginxPeer: Sendable {
    var port: Int
    var process: StampedProcess
    var directory: String

    static func start(in directory: String, upstreams: [String: String]) async throws(BenchError) -> NginxPeer {
        try TreeGenerator.makeDirectories(directory + "/temp")
        let port = try HTTPProbe.freePort()
        let cpus = ProcessInfo.processInfo.activeProcessorCount
        let upstreamBlocks = upstreams.sorted { $0.key < $1.key }.map { name, ip in
            """
              upstream \(name) {
                server \(ip):8080;
                keepalive 64;
                keepalive_requests 1000000;
              }
            """
        }.joined(separator: "\n")
        try ContainerProjectFiles.write("""
        worker_processes \(cpus);
        pid \(directory)/nginx.pid;
        error_log \(directory)/error.log warn;
        events { worker_connections 4096; }
        http {
          access_log off;
          client_body_temp_path \(directory)/temp/body;
          proxy_temp_path \(directory)/temp/proxy;
          fastcgi_temp_path \(directory)/temp/fastcgi;
          uwsgi_temp_path \(directory)/temp/uwsgi;
          scgi_temp_path \(directory)/temp/scgi;
          keepalive_requests 1000000;
        \(upstreamBlocks)
          server {
            listen 127.0.0.1:\(port);
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $host;
            location = /api { proxy_pass http://api; }
            location /api/ { proxy_pass http://api; }
            location / { proxy_pass http://web; }
          }
        }

        """, to: directory + "/nginx.conf")
        let process = try StampedProcess.start(.argv(["nginx", "-p", directory, "-c", directory + "/nginx.conf",
                                                      "-e", directory + "/error.log", "-g", "daemon off;"]), in: directory)
        let peer = NginxPeer(port: port, process: process, directory: directory)
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if process.child.exitStatus != nil { break }
            let answer = await BlockingWork.run(name: "wbuild-bench nginx probe") { HTTPProbe.get(port: port, path: "/api/ready") }
            if answer?.hasPrefix("HTTP/1.1 200") == true { return peer }
            try? await Task.sleep(for: .milliseconds(50))
        }
        let log = (try? String(contentsOfFile: directory + "/error.log", encoding: .utf8)) ?? ""
        await peer.stop()
        throw BenchError(.commandFailed, "router: nginx did not answer 200 on 127.0.0.1:\(port)/api/ready within 10 s",
                         detail: process.tailText + "\n" + log, hint: "apt-get install nginx-light (bash scripts/bench.sh router)")
    }

    func stop() async {
        _ = await process.stop(grace: .seconds(5))
    }
}
