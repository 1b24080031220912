import Foundation
import WBuildSystem

/// How many requests a loop made and how many of them failed.
struct RequestCount: Sendable {
    var total = 0
    var failed = 0
    var answered: Int { total - failed }
}

/// The request loops of the swarm suite's rolling update, one request after another until
/// told to stop: a busybox container on the stack's overlay network (on the manager) that looks
/// `api` up in Swarm's DNS before each request and asks its first address for `/cgi-bin/health`, and, when there is a router, a curl loop in
/// the hub's namespace that asks every node's router for `/api/cgi-bin/health`. Each writes a
/// line per request into the run's directory; a request failed unless it answered 200.
struct RequestLoads: Sendable {
    let swarm: BenchSwarm
    let root: String
    let container: String
    let router: Task<Void, Never>?

    static var stopFile: String { "load.stop" }
    static var dnsLog: String { "load-dns.log" }
    static var routerLog: String { "load-router.log" }

    /// Starts the loops and returns once each has logged three requests.
    static func start(swarm: BenchSwarm, root: String, network: String, routerPort: Int?) async throws(BenchError) -> RequestLoads {
        for file in [stopFile, dnsLog, routerLog] { try? FileManager.default.removeItem(atPath: root + "/" + file) }
        let container = "bench-load-\(UUID().uuidString.prefix(8).lowercased())"
        // The image's busybox is static: its wget cannot resolve names (no NSS), its nslookup
        // asks Swarm's DNS (127.0.0.11) itself; the first address, as a client would take it.
        let loop = "while [ ! -e /out/\(stopFile) ]; do"
            + " a=$(nslookup api 127.0.0.11 2>/dev/null | sed -n 's/^Address: \\([0-9.]*\\)$/\\1/p' | head -n 1);"
            + " if [ -n \"$a\" ] && wget -q -O /dev/null \"http://$a:8080/cgi-bin/health\"; then echo ok; else echo failed; fi"
            + " >> /out/\(dnsLog); done"
        let run = ["run", "-d", "--rm", "--name", container, "--network", network, "-v", "\(root):/out",
                   "wbuild-samples/busybox:1", "sh", "-c", loop]
        guard await swarm.docker(run, in: root) != nil else {
            throw BenchError(.commandFailed, "cannot start the request loop on \(network): `docker \(run.joined(separator: " "))` failed",
                             hint: "the stack's network must be attachable")
        }
        var router: Task<Void, Never>?
        if let routerPort {
            let addresses = swarm.nodes.map(\.address).joined(separator: " ")
            let curl = "while [ ! -e '\(root)/\(stopFile)' ]; do for address in \(addresses); do"
                + " printf '%s %s\\n' \"$address\" \"$(curl -s -o /dev/null --max-time 10 -w '%{http_code}'"
                + " \"http://$address:\(routerPort)/api/cgi-bin/health\")\" >> '\(root)/\(routerLog)'; done; done"
            let command = swarm.exec("hub", ["/bin/sh", "-c", curl])
            let environment = swarm.environment
            router = Task { _ = try? await ProcessTimer.run(command, in: root, environment: environment) }
        }
        let loads = RequestLoads(swarm: swarm, root: root, container: container, router: router)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let dns = loads.count(dnsLog, ok: { $0 == "ok" }).answered
            let routed = routerPort == nil ? 3 : loads.count(routerLog, ok: { $0.hasSuffix(" 200") }).answered
            if dns >= 3 && routed >= 3 { return loads }
            try? await Task.sleep(for: .milliseconds(100))
        }
        _ = await loads.stop()
        throw BenchError(.timedOut, "the request loops on \(network) had fewer than 3 requests answered in 30 s",
                         hint: "check that api answers /cgi-bin/health on the stack's network and through the router")
    }

    /// Stops the loops and counts what they logged.
    func stop() async -> (dns: RequestCount, router: RequestCount?) {
        _ = FileManager.default.createFile(atPath: root + "/" + Self.stopFile, contents: nil)
        _ = await swarm.docker(["wait", container], in: root)
        await router?.value
        let dns = count(Self.dnsLog, ok: { $0 == "ok" })
        return (dns, router == nil ? nil : count(Self.routerLog, ok: { $0.hasSuffix(" 200") }))
    }

    private func count(_ log: String, ok: (String) -> Bool) -> RequestCount {
        let lines = ((try? String(contentsOfFile: root + "/" + log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        return RequestCount(total: lines.count, failed: lines.filter { !ok($0) }.count)
    }
}
