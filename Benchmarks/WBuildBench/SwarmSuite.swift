import Foundation
import WBuildSystem

/// Issue 15: `wbuild deploy --target swarm` beside `docker stack deploy -c` of the `stack.yaml`
/// wbuild renders, on the same three-node test swarm (`BenchSwarm`), the same images (published
/// untimed beforehand, so neither side builds or pushes in a timed run):
///
/// - deploy to converged: an empty swarm until every service runs its replicas (`docker stack
///   deploy` returns before the tasks run, so its side polls `docker service ls` every 100 ms);
/// - no-op: the same deploy again. Goal ≤ 0.1× `docker stack deploy`;
/// - rolling update of api: a new image of api until its update completed, under a request loop
///   from a container on the stack's network that asks `api` by Swarm's DNS (both sides: Swarm's
///   own figure beside wbuild's) and, for wbuild, one through its router on every node. Goal:
///   zero failed requests.
///
/// Samples alternate which side goes first; sample 0 is a warm-up. Each side's sample starts
/// from an empty swarm and ends with its stack removed.
struct SwarmSuite {
    var options: BenchOptions
    var workspace: BenchDirectory

    let label = "swarm shop"
    static let peerStack = "peer"
    /// shop's stack name under wbuild (the project's name).
    static let wbuildStack = "shop"
    /// The services of shop's stack.yaml (the router is wbuild's, and not in it).
    static let stackServices = 4

    func run(into report: inout Report) async {
        guard let wbuild = wbuildPath else {
            report.problem(options.wbuildMissing ?? BenchError(.usage, "\(label): no wbuild to measure"))
            return
        }
        let root: String
        do {
            root = try workspace.subdirectory("swarm")
        } catch {
            report.problem(error)
            return
        }
        Progress.say("\(label): starting the three-node test swarm")
        let swarm: BenchSwarm
        do {
            swarm = try await BenchSwarm.start(name: "bench", in: root)
        } catch {
            report.problem(error)
            return
        }
        do throws(BenchError) {
            let run = SwarmSuiteRun(label: label, wbuild: wbuild, swarm: swarm, root: root)
            try await run.prepare()
            try await measure(run, into: &report)
        } catch {
            report.problem(error)
        }
        Progress.say("\(label): stopping the test swarm")
        await swarm.stop(in: root)
        if !options.keep { try? FileManager.default.removeItem(atPath: root) }
    }

    private var wbuildPath: String? { options.wbuildMissing == nil ? options.wbuild : nil }

    private func measure(_ run: SwarmSuiteRun, into report: inout Report) async throws(BenchError) {
        var deployWbuild = Samples(), deployPeer = Samples(), noopWbuild = Samples(), noopPeer = Samples()
        var updateWbuild = Samples(), updatePeer = Samples()
        var failedDNSWbuild = 0, failedRouter = 0, failedDNSPeer = 0
        var requestsDNSWbuild = 0, requestsRouter = 0, requestsDNSPeer = 0
        let runs = options.swarmRuns
        for sample in 0...runs {
            let wbuildFirst = sample % 2 == 0
            for side in wbuildFirst ? [true, false] : [false, true] {
                let what = (side ? "wbuild" : "docker stack deploy") + ", " + (sample == 0 ? "warm-up" : "sample \(sample)/\(runs)")
                Progress.say("\(label): \(what)")
                let figures = side ? try await run.wbuildSample(sample) : try await run.peerSample(sample)
                guard sample > 0 else { continue }
                if side {
                    deployWbuild.append(figures.deploy)
                    noopWbuild.append(figures.noop)
                    updateWbuild.append(figures.update)
                    failedDNSWbuild += figures.dns.failed
                    requestsDNSWbuild += figures.dns.total
                    failedRouter += figures.router?.failed ?? 0
                    requestsRouter += figures.router?.total ?? 0
                } else {
                    deployPeer.append(figures.deploy)
                    noopPeer.append(figures.noop)
                    updatePeer.append(figures.update)
                    failedDNSPeer += figures.dns.failed
                    requestsDNSPeer += figures.dns.total
                }
            }
        }
        let peer = "docker stack deploy -c stack.yaml"
        report.add(ReportRow(suite: label, measure: "deploy to converged, empty swarm (median of \(runs))", unit: .milliseconds,
                             wbuild: deployWbuild.median, peerName: peer + " + wait", peer: deployPeer.median))
        report.add(ReportRow(suite: label, measure: "no-op deploy (median of \(runs))", unit: .milliseconds,
                             wbuild: noopWbuild.median, peerName: peer, peer: noopPeer.median, goal: .ratioAtMost(0.1)))
        report.add(ReportRow(suite: label, measure: "rolling update of api to converged (median of \(runs))", unit: .milliseconds,
                             wbuild: updateWbuild.median, peerName: peer + " + wait", peer: updatePeer.median))
        report.add(ReportRow(suite: label, measure: "failed requests to `api` by Swarm DNS during its rolling updates (\(runs))",
                             unit: .errors, wbuild: Double(failedDNSWbuild), peerName: peer, peer: Double(failedDNSPeer),
                             goal: .atMost(0)))
        report.add(ReportRow(suite: label, measure: "failed requests through wbuild's router on every node during api's updates (\(runs))",
                             unit: .errors, wbuild: Double(failedRouter), goal: .atMost(0)))
        func values(_ samples: Samples) -> String { samples.values.map { Report.format($0) }.joined(separator: ", ") }
        report.notes.append("\(label): samples (ms) deploy wbuild \(values(deployWbuild)), peer \(values(deployPeer)); no-op wbuild"
                            + " \(values(noopWbuild)), peer \(values(noopPeer)); update wbuild \(values(updateWbuild)), peer"
                            + " \(values(updatePeer)); requests during the updates: by DNS wbuild \(requestsDNSWbuild), peer"
                            + " \(requestsDNSPeer), through the router \(requestsRouter). The peer's stack.yaml has no health"
                            + " check for api (an http readiness needs wbuild's probe, baked in by deploy only), so Swarm counts"
                            + " its new task ready once started. Three dockerds in network namespaces on one machine"
                            + " (scripts/swarm-test-cluster.sh); commands run in n1's namespace, the manager.")
    }
}
