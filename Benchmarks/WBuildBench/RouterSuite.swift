import Foundation
import WBuildSystem

/// Issue 12: the project's router under load, beside nginx configured with the same routes to
/// the same backends and beside going straight at a workload's front door, in the same run.
///
/// The backends are `bench-http` (Benchmarks/backend), a keep-alive C server answering every
/// request with a fixed 100-byte body, in a FROM scratch image; two workloads on it, `api`
/// (route `/api`) and `web` (route `/`). Every target gets `wrk -t min(C,2) -c C -d Ns --latency`
/// on `/api/x` at each connection count, the targets interleaved per count. Goals per count:
/// requests/s ≥ 0.8× nginx's, p50 ≤ the door's + 0.2 ms, 0 errors.
struct RouterSuite {
    var options: BenchOptions
    var workspace: BenchDirectory

    private let label = "router"
    private let path = "/api/x"

    func run(into report: inout Report) async {
        guard options.wbuildMissing == nil else {
            report.problem(BenchError(.commandFailed, "router: no wbuild to bring the project up; suite skipped"))
            return
        }
        await ContainerSuiteRun(options: options, workspace: workspace)
            .run(label: label, project: "router", directory: "router", into: &report) { name, root, report throws(BenchError) in
                try await measure(name: name, root: root, into: &report)
            }
    }

    /// One place wrk is pointed at.
    struct Target: Sendable {
        var key: String
        var title: String
        var url: String
    }

    private func measure(name: String, root: String, into report: inout Report) async throws(BenchError) {
        try await checkWrk(in: root)
        let image = try await BenchBackend.image(source: options.backendSource, root: root)
        let routerPort = try HTTPProbe.freePort()
        try ContainerProjectFiles.write(project(name: name, image: image, routerPort: routerPort), to: root + "/wbuild.json")

        Progress.say("\(label): wbuild up (image \(image))")
        let up = try await ProcessTimer.run(.argv([options.wbuild, "up", "--json", "-f", "wbuild.json"]), in: root)
        guard up.status.isSuccess, OnceResult(up)?.ok == true else {
            throw BenchError(.commandFailed, "\(label): `wbuild up --json` ended with \(up.status) without an ok result",
                             detail: up.outputText)
        }
        let containers = try await ProjectContainers.read(project: name, in: root)
        let door = try containers.door(of: "api")
        let apiReplica = try containers.replica(of: "api")
        let webReplica = try containers.replica(of: "web")
        guard let doorPort = door.hostPort(8080) else {
            throw BenchError(.commandFailed, "\(label): api's door \(door.name) publishes no host port for 8080",
                             detail: door.ports)
        }

        let nginx = try await NginxPeer.start(in: root + "/nginx", upstreams: ["api": apiReplica.ip, "web": webReplica.ip])
        var measured: [String: [Int: WrkResult]] = [:]
        do throws(BenchError) {
            let targets = [
                // The app's URL: the router listens on it itself, in the host's network namespace.
                Target(key: "router", title: "router at the app's URL 127.0.0.1:\(routerPort)",
                       url: "http://127.0.0.1:\(routerPort)\(path)"),
                Target(key: "nginx", title: "nginx", url: "http://127.0.0.1:\(nginx.port)\(path)"),
                Target(key: "door", title: "api's door at its container address", url: "http://\(door.ip):8080\(path)"),
                Target(key: "door-published", title: "api's door at 127.0.0.1:\(doorPort) (docker-proxy)",
                       url: "http://127.0.0.1:\(doorPort)\(path)"),
                Target(key: "replica", title: "api's replica itself", url: "http://\(apiReplica.ip):8080\(path)"),
            ]
            for target in targets {
                Progress.say("\(label): warm-up, \(target.title) (\(target.url))")
                let warm = try await wrk(target, connections: 16, seconds: 1, in: root)
                if warm.requests == 0 {
                    throw BenchError(.commandFailed, "\(label): warm-up of \(target.title) (\(target.url)) got no response",
                                     detail: warm.text)
                }
            }
            for connections in options.routerConnections {
                for target in targets {
                    let result = try await wrk(target, connections: connections, seconds: options.routerSeconds, in: root)
                    Progress.say("\(label): \(connections) conn, \(target.title): \(result.summary)")
                    measured[target.key, default: [:]][connections] = result
                }
            }
        } catch {
            await nginx.stop()
            throw error
        }
        await nginx.stop()
        addRows(measured, into: &report)
        report.notes.append("\(label): backends are bench-http (Benchmarks/backend, keep-alive, 100-byte body) in \(image);"
                            + " wrk, nginx, the router and the backends share this machine's \(ProcessInfo.processInfo.activeProcessorCount) CPUs;"
                            + " `wrk -t min(C,2) -c C -d \(options.routerSeconds)s --latency` on \(path)")
    }

    private func addRows(_ measured: [String: [Int: WrkResult]], into report: inout Report) {
        for connections in options.routerConnections {
            let suite = "\(label) \(connections) conn"
            func of(_ key: String) -> WrkResult? { measured[key]?[connections] }
            let router = of("router"), nginx = of("nginx"), door = of("door")
            report.add(ReportRow(suite: suite, measure: "requests/s, router at the app's URL",
                                 unit: .requestsPerSecond, wbuild: router?.requestsPerSecond, peerName: "nginx",
                                 peer: nginx?.requestsPerSecond, goal: .ratioAtLeast(0.8)))
            report.add(ReportRow(suite: suite, measure: "p50 latency, router vs straight at api's door (its container address)",
                                 unit: .milliseconds, wbuild: router?.p50, peerName: "door",
                                 peer: door?.p50, goal: .addedAtMost(0.2)))
            report.add(ReportRow(suite: suite, measure: "p99 latency, router vs api's door (its container address)",
                                 unit: .milliseconds, wbuild: router?.p99, peerName: "door", peer: door?.p99))
            report.add(ReportRow(suite: suite, measure: "p99 latency, router vs nginx",
                                 unit: .milliseconds, wbuild: router?.p99, peerName: "nginx", peer: nginx?.p99))
            report.add(ReportRow(suite: suite, measure: "errors, router", unit: .errors,
                                 wbuild: router.map { Double($0.errors) }, peerName: "nginx",
                                 peer: nginx.map { Double($0.errors) }, goal: .atMost(0)))
            let all = ["router", "nginx", "door", "door-published", "replica"].compactMap { key in
                of(key).map { "\(key) \($0.summary)" }
            }
            report.notes.append("\(suite): " + all.joined(separator: "; "))
            if let router, router.errors > 0 {
                report.suspect("\(suite): wrk saw \(router.errors) errors at the router: \(router.errorText)")
            }
        }
    }

    private func wrk(_ target: Target, connections: Int, seconds: Int, in root: String) async throws(BenchError) -> WrkResult {
        let threads = min(connections, 2)
        let command = ProcessCommand.argv(["wrk", "-t", "\(threads)", "-c", "\(connections)", "-d", "\(seconds)s",
                                           "--timeout", "5s", "--latency", target.url])
        let run = try await ProcessTimer.runChecked(command, in: root)
        let text = run.output.filter { $0.stream == .stdout }.map(\.line).joined(separator: "\n")
        guard let result = WrkResult(parsing: text) else {
            throw BenchError(.commandFailed, "\(label): cannot read `\(command)`'s output", detail: text)
        }
        return result
    }

    private func checkWrk(in root: String) async throws(BenchError) {
        let run = try? await ProcessTimer.run(.argv(["wrk", "--version"]), in: root)
        guard let run, run.output.contains(where: { $0.line.hasPrefix("wrk ") }) else {
            throw BenchError(.commandFailed, "\(label): wrk is not installed",
                             hint: "apt-get install wrk (bash scripts/bench.sh router installs it)")
        }
    }

    private func project(name: String, image: String, routerPort: Int) -> String {
        func workload(_ route: String) -> String {
            """
            {
                  image: "\(image)",
                  entrypoint: ["/bench-http", "8080"],
                  ports: [{ name: "http", container: 8080, protocol: "http" }],
                  routes: ["\(route)"],
                  readiness: { http: { path: "/ready", port: 8080 }, intervalMs: 200 },
                  stopGraceMs: 1000,
                }
            """
        }
        return """
        {
          name: "\(name)",
          router: { port: \(routerPort) },
          workloads: {
            api: \(workload("/api")),
            web: \(workload("/")),
          },
        }

        """
    }
}

/// What `wrk --latency` printed: requests/s, the latency distribution, errors.
struct WrkResult: Sendable {
    var requestsPerSecond: Double
    var requests: Int
    /// Milliseconds.
    var p50: Double
    var p99: Double
    var non2xx: Int = 0
    var socketErrors: [String: Int] = [:]
    var text: String

    var errors: Int { non2xx + socketErrors.values.reduce(0, +) }

    var errorText: String {
        "non-2xx/3xx \(non2xx), socket errors " + socketErrors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            .joined(separator: ", ")
    }

    var summary: String {
        "\(Report.format(requestsPerSecond)) req/s, p50 \(Report.format(p50)) ms, p99 \(Report.format(p99)) ms"
            + (errors > 0 ? ", \(errors) errors" : "")
    }

    init?(parsing text: String) {
        self.text = text
        var rps: Double?, requests: Int?, p50: Double?, p99: Double?
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if line.hasPrefix("Requests/sec:"), fields.count >= 2 {
                rps = Double(fields[1])
            } else if fields.count >= 3, fields[1] == "requests", fields[2] == "in" {
                requests = Int(fields[0])
            } else if fields.count == 2, fields[0] == "50%" {
                p50 = Self.milliseconds(fields[1])
            } else if fields.count == 2, fields[0] == "99%" {
                p99 = Self.milliseconds(fields[1])
            } else if line.hasPrefix("Non-2xx or 3xx responses:"), let last = fields.last {
                non2xx = Int(last) ?? 0
            } else if line.hasPrefix("Socket errors:") {
                // Socket errors: connect 0, read 0, write 0, timeout 0
                let pairs = line.dropFirst("Socket errors:".count).split(separator: ",")
                for pair in pairs {
                    let words = pair.split(separator: " ")
                    if words.count == 2, let count = Int(words[1]) { socketErrors[String(words[0])] = count }
                }
            }
        }
        guard let rps, let requests, let p50, let p99 else { return nil }
        self.requestsPerSecond = rps
        self.requests = requests
        self.p50 = p50
        self.p99 = p99
    }

    /// `125.00us`, `1.25ms`, `2.00s` → milliseconds.
    static func milliseconds(_ text: String) -> Double? {
        for (suffix, scale) in [("us", 0.001), ("ms", 1.0), ("m", 60_000.0), ("s", 1000.0)] where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * scale }
        }
        return nil
    }
}
