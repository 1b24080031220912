import Foundation
import Testing
import WBuildTestSupport

/// `wbuild watch` against an engine that goes away: stopped (SIGTERM, which stops its
/// containers) and killed (SIGKILL, which leaves them to a later dockerd). The engine is the
/// test's own (`PrivateEngine`), in a network namespace of its own; wbuild runs in that
/// namespace, where the engine's published ports are.
@Suite(.serialized) struct EngineOutageEndToEndTests {
    static let spec = """
    { name: "outage", workloads: { web: {
        build: { context: "." },
        entrypoint: ["httpd", "-f", "-p", "8080", "-h", "/www"],
        ports: [{ name: "http", container: 8080, protocol: "http" }],
        routes: ["/"],
        readiness: { http: { path: "/", port: 8080 }, intervalMs: 100 },
        stopGraceMs: 500,
        liveUpdate: { sync: [{ from: "site", to: "/www" }], restart: "none" },
    } } }
    """

    /// `wbuild status --json` of the workload, from inside the namespace.
    func status(_ engine: PrivateEngine, _ dir: String) -> [String: Any]? {
        let run = engine.wbuild(["status", "--json"], in: dir)
        return run.output.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }.first { $0["workload"] as? String == "web" }
    }

    /// The workload's URLs as `status` reports them, once it says ready and every URL answers.
    func readyURLs(_ engine: PrivateEngine, _ dir: String, serving page: String = "served-by-web") async -> [String]? {
        var found: [String]?
        let ready = await eventually(within: .seconds(90), every: .milliseconds(250)) {
            guard let seen = status(engine, dir), seen["state"] as? String == "ready",
                  let urls = seen["urls"] as? [String], !urls.isEmpty else { return false }
            found = urls
            return urls.allSatisfy { engine.fetch($0)?.contains(page) == true }
        }
        return ready ? found : nil
    }

    /// The app's URL through the project's router, once it serves `page` there.
    func routerServes(_ engine: PrivateEngine, _ dir: String, page: String) async -> Bool {
        await eventually(within: .seconds(60), every: .milliseconds(250)) {
            let run = engine.wbuild(["status", "--json"], in: dir)
            let router = run.output.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
            }.first { $0["type"] as? String == "router" }
            guard let url = router?["url"] as? String else { return false }
            return engine.fetch(url + "/")?.contains(page) == true
        }
    }

    func warnings(_ watch: RunningWBuild, containing text: String) -> Int {
        watch.events(ofType: "warning").filter { ($0["message"] as? String)?.contains(text) == true }.count
    }

    @Test func watchSurvivesTheEngineStoppedAndKilled() async throws {
        let engine = try PrivateEngine()
        defer { engine.remove() }
        try engine.load(image: "wbuild-samples/busybox:1")
        let dir = try TemporaryDirectory(prefix: "wbuild-outage")
        defer { dir.remove() }
        try dir.write("wbuild.json", Self.spec)
        try dir.write("Dockerfile", "FROM wbuild-samples/busybox:1\nCOPY site /www\n")
        try dir.write("site/index.html", "served-by-web")

        let watch = try RunningWBuild(["watch", "--json"], in: dir.path, launcher: engine.inNamespace([]),
                                      environment: ["DOCKER_HOST": engine.dockerHost])
        defer { watch.stop() }
        #expect(watch.waitUntilWatching(timeout: .seconds(60)), "\(watch.stderrText)")
        let first = await readyURLs(engine, dir.path)
        #expect(first != nil, "never ready: \(status(engine, dir.path) ?? [:])\n\(watch.stdoutLines.suffix(20))")
        // A live update: after any outage the containers must still serve it (the ledger is replayed).
        try dir.write("site/index.html", "served-by-web, edited")
        #expect(await readyURLs(engine, dir.path, serving: "edited") != nil, "\(watch.stdoutLines.suffix(10))")
        #expect(await routerServes(engine, dir.path, page: "edited"), "\(watch.stdoutLines.suffix(10))")

        for (round, signal) in [SIGTERM, SIGKILL].enumerated() {
            let before = await readyURLs(engine, dir.path, serving: "edited")
            engine.stop(signal: signal)
            // Said as soon as calls fail: the event stream breaking is the first sign.
            #expect(await eventually(within: .seconds(30)) { warnings(watch, containing: "engine unreachable") == round + 1 },
                    "round \(round): \(watch.stdoutLines.suffix(10))")
            #expect(status(engine, dir.path)?["urls"] == nil || status(engine, dir.path) == nil)  // nothing to claim meanwhile
            if signal == SIGTERM {
                // A change while the engine is away: its build fails now and runs again once it is back.
                try dir.write("Dockerfile", "FROM wbuild-samples/busybox:1\nCOPY site /www\nLABEL changed=during-outage\n")
                #expect(await eventually(within: .seconds(30)) { watch.doneCount("image:web", status: "failed") >= 1 },
                        "\(watch.stdoutLines.suffix(10))")
            }
            try engine.start()
            #expect(await eventually(within: .seconds(60)) { warnings(watch, containing: "the engine answers again") == round + 1 },
                    "round \(round): \(watch.stdoutLines.suffix(10))")
            // Back to the spec: ready, every URL status reports answers, with what was synced.
            let after = await readyURLs(engine, dir.path, serving: "edited")
            let note = "round \(round) (signal \(signal)): not reconciled: \(status(engine, dir.path) ?? [:])\n"
                + watch.stdoutLines.suffix(20).joined(separator: "\n") + "\n" + engine.logTail()
            #expect(after != nil, "\(note)")
            // The router is back with its table and the new replicas' addresses (its own restart
            // happened while the event stream was down).
            #expect(await routerServes(engine, dir.path, page: "edited"), "round \(round): the router does not serve\n\(note)")
            if signal == SIGTERM {
                #expect(await eventually(within: .seconds(60)) { watch.doneCount("image:web") == 2 },
                        "the build that failed during the outage did not run again: \(watch.stdoutLines.suffix(10))")
            }
            if let before, let after, before != after {
                // A changed URL is said, with the old and the new one.
                let said = watch.events.contains { ($0["detail"] as? String)?.contains("URL changed: \(before.joined(separator: " "))") == true }
                #expect(said, "the URL changed from \(before) to \(after) silently")
            }
        }
        watch.stop()
    }
}
