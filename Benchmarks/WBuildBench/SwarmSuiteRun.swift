import Foundation
import WBuildSystem

/// One swarm suite's project and cluster: Samples/shop copied into the run's directory,
/// published to the cluster's registry, and the timed steps of each side's sample.
struct SwarmSuiteRun: Sendable {
    /// What one side's sample measured.
    struct Figures: Sendable {
        var deploy: Double
        var noop: Double
        var update: Double
        var dns: RequestCount
        var router: RequestCount?
    }

    let label: String
    let wbuild: String
    let swarm: BenchSwarm
    let root: String
    var shop: String { root + "/shop" }
    var registryPath: String { "\(swarm.registry)/shop" }

    /// The base image into every node, shop copied, its images published, stack.yaml rendered.
    func prepare() async throws(BenchError) {
        Progress.say("\(label): loading the base image into the nodes, publishing shop (untimed)")
        try await swarm.load(image: "wbuild-samples/busybox:1", in: root)
        let samples = FileManager.default.currentDirectoryPath + "/Samples/shop"
        try await ProcessTimer.runChecked(.argv(["cp", "-R", samples, shop]), in: root)
        try await publishAndRender()
    }

    /// `wbuild publish` and `wbuild render --target swarm` (untimed): the registry holds the
    /// current images, `stack/stack.yaml` pins them.
    private func publishAndRender() async throws(BenchError) {
        try await wbuildChecked(["publish", "--registry", registryPath])
        try await wbuildChecked(["render", "--target", "swarm", "--out", "stack"])
    }

    // MARK: wbuild's side

    func wbuildSample(_ sample: Int) async throws(BenchError) -> Figures {
        let deploy = try await wbuildDeploy(expect: "create", what: "deploy, sample \(sample)")
        let noop = try await wbuildDeploy(expect: "unchanged", what: "no-op deploy, sample \(sample)")
        try await changeAPI(sample: sample, side: "wbuild")
        try await wbuildChecked(["publish", "--registry", registryPath])
        let loads = try await RequestLoads.start(swarm: swarm, root: root, network: "\(SwarmSuite.wbuildStack)_default",
                                                 routerPort: 8000)
        let update: Double
        do {
            update = try await wbuildDeploy(expect: nil, what: "rolling update, sample \(sample)")
        } catch {
            _ = await loads.stop()
            throw error
        }
        try? await Task.sleep(for: .seconds(2))
        let counted = await loads.stop()
        try await wbuildChecked(["down", "--target", "swarm"])
        try await waitUntilGone(SwarmSuite.wbuildStack)
        return Figures(deploy: deploy, noop: noop, update: update, dns: counted.dns, router: counted.router)
    }

    /// A timed `wbuild deploy --target swarm --json`: its milliseconds, when it exited 0 with an ok
    /// result and, if `expect` is given, every service's action is that.
    private func wbuildDeploy(expect: String?, what: String) async throws(BenchError) -> Double {
        let arguments = ["deploy", "--target", "swarm", "--registry", registryPath, "--json"]
        let run = try await ProcessTimer.run(swarm.exec("n1", [wbuild] + arguments), in: shop, environment: swarm.environment,
                                             tailLines: 5000)
        let result = run.output.filter { $0.stream == .stdout }.compactMap { JSONLine.object($0.line) }
            .last { $0["type"] as? String == "deploy" }
        guard run.status.isSuccess, result?["ok"] as? Bool == true else {
            throw BenchError(.commandFailed, "\(label): `wbuild \(arguments.joined(separator: " "))` (\(what)) ended with \(run.status)",
                             detail: run.outputText)
        }
        if let expect {
            let actions = ((result?["services"] as? [[String: Any]]) ?? []).compactMap { $0["action"] as? String }
            guard !actions.isEmpty, actions.allSatisfy({ $0 == expect }) else {
                throw BenchError(.suspectFigure, "\(label): \(what): wbuild's services were \(actions), not all \(expect)",
                                 detail: run.outputText)
            }
        }
        return run.milliseconds
    }

    // MARK: the peer's side

    func peerSample(_ sample: Int) async throws(BenchError) -> Figures {
        try await publishAndRender()
        let start = ContinuousClock.now
        try await stackDeploy()
        try await waitUntil("\(SwarmSuite.peerStack)'s services converged") { await self.converged(SwarmSuite.peerStack) }
        let deploy = WallClock.milliseconds(ContinuousClock.now - start)
        let noop = try await stackDeploy()

        try await changeAPI(sample: sample, side: "peer")
        try await publishAndRender()
        let loads = try await RequestLoads.start(swarm: swarm, root: root, network: "\(SwarmSuite.peerStack)_default", routerPort: nil)
        let updateStart = ContinuousClock.now
        do {
            try await stackDeploy()
            try await waitUntil("\(SwarmSuite.peerStack)_api's update completed") { await self.updateCompleted("\(SwarmSuite.peerStack)_api") }
        } catch {
            _ = await loads.stop()
            throw error
        }
        let update = WallClock.milliseconds(ContinuousClock.now - updateStart)
        try? await Task.sleep(for: .seconds(2))
        let counted = await loads.stop()
        try await ProcessTimer.runChecked(swarm.exec("n1", ["docker", "stack", "rm", SwarmSuite.peerStack]), in: shop,
                                          environment: swarm.environment)
        try await waitUntilGone(SwarmSuite.peerStack)
        return Figures(deploy: deploy, noop: noop, update: update, dns: counted.dns, router: nil)
    }

    /// A timed `docker stack deploy -c` of the rendered stack.yaml, as a user runs it (the default
    /// `--resolve-image always` asks the registry about each image).
    @discardableResult
    private func stackDeploy() async throws(BenchError) -> Double {
        let argv = ["docker", "stack", "deploy", "-c", "stack/stack.yaml", SwarmSuite.peerStack]
        return try await ProcessTimer.runChecked(swarm.exec("n1", argv), in: shop, environment: swarm.environment).milliseconds
    }

    /// Every service of `stack` runs all its replicas (`docker service ls`'s `n/n`).
    private func converged(_ stack: String) async -> Bool {
        guard let lines = await swarm.docker(["service", "ls", "--filter", "label=com.docker.stack.namespace=\(stack)",
                                              "--format", "{{.Replicas}}"], in: root) else { return false }
        return lines.count == SwarmSuite.stackServices && lines.allSatisfy { line in
            let parts = line.split(separator: " ").first?.split(separator: "/") ?? []
            return parts.count == 2 && parts[0] == parts[1] && parts[0] != "0"
        }
    }

    private func updateCompleted(_ service: String) async -> Bool {
        let state = await swarm.docker(["service", "inspect", "--format", "{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}", service],
                                       in: root)
        return state == ["completed"]
    }

    // MARK: shared steps

    /// A new api image: its hello page says which sample and side made it.
    private func changeAPI(sample: Int, side: String) async throws(BenchError) {
        let path = shop + "/api/www/cgi-bin/hello"
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let marked = text.replacingOccurrences(of: #"hello from api[^"]*"#, with: "hello from api (\(side) \(sample))",
                                                   options: .regularExpression)
            try marked.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw BenchError(.fileSystem, "\(label): cannot change \(path): \(error)")
        }
    }

    @discardableResult
    private func wbuildChecked(_ arguments: [String]) async throws(BenchError) -> TimedRun {
        try await ProcessTimer.runChecked(swarm.exec("n1", [wbuild] + arguments), in: shop, environment: swarm.environment,
                                          tailLines: 200)
    }

    /// Waits until nothing of `stack` is left: no task container on any node, no network.
    private func waitUntilGone(_ stack: String) async throws(BenchError) {
        let label = "label=com.docker.stack.namespace=\(stack)"
        try await waitUntil("\(stack) removed from every node", seconds: 90) {
            for node in self.swarm.nodes where await self.swarm.docker(["ps", "-aq", "--filter", label], on: node.name, in: self.root) != [] {
                return false
            }
            return await self.swarm.docker(["network", "ls", "-q", "--filter", label], in: self.root) == []
        }
    }

    private func waitUntil(_ what: String, seconds: Int = 180, _ condition: @Sendable () async -> Bool) async throws(BenchError) {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if await condition() { return }
            try? await Task.sleep(for: .milliseconds(100))
        }
        throw BenchError(.timedOut, "\(label): waited \(seconds) s for \(what)")
    }
}
