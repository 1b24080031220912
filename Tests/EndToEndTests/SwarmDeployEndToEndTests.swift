import Foundation
import Testing
import WBuildTestSupport

/// Starts one three-node test swarm (`SwarmTestCluster`) around a whole suite, loads the base
/// image into every node, and stops the cluster after the suite's last test.
struct SwarmTestClusterTrait: SuiteTrait, TestScoping {
    @TaskLocal static var current: SwarmTestCluster?

    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let cluster = try SwarmTestCluster()
        defer { cluster.stop() }
        try cluster.load(image: "wbuild-samples/busybox:1")
        try await Self.$current.withValue(cluster, operation: function)
    }
}

extension Trait where Self == SwarmTestClusterTrait {
    static var swarmTestCluster: Self { Self() }
}

/// `wbuild deploy|status|down --target swarm` on a real three-node swarm (three dockerds in
/// network namespaces, a registry every node pulls from): the Samples/shop project is built and
/// published on n1, then deployed; what the tests check is what a user would see with
/// `docker service …` on the manager, on the nodes' engines, and in wbuild's exit code and words.
@Suite(.serialized, .swarmTestCluster) struct SwarmDeployEndToEndTests {
    /// A copy of Samples/shop under a name of its own, web at three replicas (one per node).
    struct Shop {
        let cluster: SwarmTestCluster
        let dir: TemporaryDirectory
        let name: String
        var stack: String { name }

        init() throws {
            cluster = try #require(SwarmTestClusterTrait.current, "the suite's cluster")
            (dir, name) = try SampleCopy.make("shop", prefix: "wbt-swarm")
            let spec = try dir.read("wbuild.json")
            let replicated = spec.replacingOccurrences(of: "build: { context: \"web\" },", with: "build: { context: \"web\" }, replicas: 3,")
            #expect(replicated != spec)
            _ = try dir.write("wbuild.json", replicated)
        }

        func deploy() -> WBuildBinary.Run {
            cluster.wbuild(["deploy", "--target", "swarm", "--registry", "\(cluster.registry)/\(name)", "--json"], in: dir.path)
        }

        /// The `{"type":"deploy"}` object of a `--json` run.
        static func result(_ run: WBuildBinary.Run) -> [String: Any]? {
            run.jsonLines.last { $0["type"] as? String == "deploy" }
        }

        static func actions(_ run: WBuildBinary.Run) -> [String: String] {
            let services = (result(run)?["services"] as? [[String: Any]]) ?? []
            return Dictionary(services.compactMap { service in
                (service["name"] as? String).flatMap { name in (service["action"] as? String).map { (name, $0) } }
            }, uniquingKeysWith: { first, _ in first })
        }

        /// Service name → its version index, from the manager.
        func serviceVersions() -> [String: String] {
            let lines = cluster.docker(["service", "ls", "--filter", "label=com.docker.stack.namespace=\(stack)", "-q"]) ?? ""
            let ids = lines.split(separator: "\n").map(String.init)
            guard !ids.isEmpty else { return [:] }
            let inspected = cluster.docker(["service", "inspect", "--format", "{{.Spec.Name}} {{.Version.Index}}"] + ids) ?? ""
            return Dictionary(inspected.split(separator: "\n").compactMap { line in
                let parts = line.split(separator: " ")
                return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
            }, uniquingKeysWith: { first, _ in first })
        }

        /// Service name → its `Replicas` column (`3/3`).
        func replicas() -> [String: String] {
            let lines = cluster.docker(["service", "ls", "--filter", "label=com.docker.stack.namespace=\(stack)",
                                        "--format", "{{.Name}} {{.Replicas}}"]) ?? ""
            return Dictionary(lines.split(separator: "\n").compactMap { line in
                let parts = line.split(separator: " ")
                return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
            }, uniquingKeysWith: { first, _ in first })
        }

        /// The running tasks of `service`: task id, node name (its `dev.wbuild.node` label),
        /// image, container id.
        func runningTasks(_ service: String) -> [(id: String, node: String, image: String, container: String)] {
            let ids = (cluster.docker(["service", "ps", "-q", "--no-trunc", "--filter", "desired-state=running", "\(stack)_\(service)"]) ?? "")
                .split(separator: "\n").map(String.init)
            guard !ids.isEmpty else { return [] }
            let names = nodeNamesByID()
            let inspected = cluster.docker(["inspect", "--format",
                                            "{{.ID}} {{.NodeID}} {{.Status.State}} {{.Spec.ContainerSpec.Image}} {{.Status.ContainerStatus.ContainerID}}"] + ids) ?? ""
            return inspected.split(separator: "\n").compactMap { line in
                let parts = line.split(separator: " ").map(String.init)
                guard parts.count == 5, parts[2] == "running" else { return nil }
                return (parts[0], names[parts[1]] ?? parts[1], parts[3], parts[4])
            }
        }

        func nodeNamesByID() -> [String: String] {
            let ids = (cluster.docker(["node", "ls", "-q"]) ?? "").split(separator: "\n").map(String.init)
            let lines = cluster.docker(["node", "inspect", "--format", "{{.ID}} {{index .Spec.Labels \"dev.wbuild.node\"}}"] + ids) ?? ""
            return Dictionary(lines.split(separator: "\n").compactMap { line in
                let parts = line.split(separator: " ")
                return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
            }, uniquingKeysWith: { first, _ in first })
        }

        /// The page web's task answers on its own node (asked inside its container: the overlay
        /// addresses answer only there).
        func page(of task: (id: String, node: String, image: String, container: String)) -> String? {
            cluster.docker(["exec", task.container, "wget", "-q", "-O", "-", "http://127.0.0.1:8080/"], on: task.node)
        }

        /// `curl` of `path` on `node`'s router port, from the hub (where every node's address
        /// answers): the HTTP status and body.
        func throughRouter(on node: String, _ path: String) -> (status: String, body: String) {
            let address = cluster.nodes[node] ?? node
            let run = cluster.run(in: "hub", ["/usr/bin/curl", "-s", "--max-time", "5", "-w", "\n%{http_code}", "http://\(address):8000\(path)"])
            let lines = run.output.split(separator: "\n", omittingEmptySubsequences: false)
            return (lines.last.map(String.init) ?? "", lines.dropLast().joined(separator: "\n"))
        }

        func tearDown() {
            _ = cluster.wbuild(["down", "--target", "swarm"], in: dir.path)
            dir.remove()
        }
    }

    @Test func deployConvergesEveryServiceOnSeveralNodesAndANoOpDeployChangesNothing() async throws {
        let shop = try Shop()
        defer { shop.tearDown() }
        let first = shop.deploy()
        #expect(first.exitCode == 0, "\(first.stderr)\(first.stdout)")
        #expect(Shop.result(first)?["ok"] as? Bool == true)
        // shop's heartbeat sidecar asks api on 127.0.0.1, which on a swarm is the sidecar itself.
        #expect((first.stdout + first.stderr).contains("api's sidecar heartbeat runs as the service api-heartbeat"), "\(first.stdout)")
        let services = ["web", "api", "api-heartbeat", "kv", "router"].map { "\(shop.stack)_\($0)" }
        #expect(Shop.actions(first) == Dictionary(uniqueKeysWithValues: services.map { ($0, "create") }))
        let replicas = shop.replicas()
        // The router is global: one task per node.
        #expect(replicas == ["\(shop.stack)_web": "3/3", "\(shop.stack)_api": "1/1", "\(shop.stack)_api-heartbeat": "1/1", "\(shop.stack)_kv": "1/1",
                             "\(shop.stack)_router": "3/3"], "\(replicas)")

        let web = shop.runningTasks("web")
        #expect(Set(web.map(\.node)).count >= 2, "web's tasks on \(web.map(\.node))")
        let everyNode = Set(["web", "api", "api-heartbeat", "kv"].flatMap { shop.runningTasks($0).map(\.node) })
        #expect(everyNode.isSubset(of: Set(shop.cluster.nodeNames)) && everyNode.count >= 2, "\(everyNode)")
        for task in web {
            let page = shop.page(of: task)
            #expect(page?.contains("<h1>shop</h1>") == true, "web on \(task.node): \(page ?? "no answer")")
        }
        // The image each node runs came from the cluster's registry, pinned by digest.
        #expect(web.allSatisfy { $0.image.hasPrefix("\(shop.cluster.registry)/\(shop.name)/web") && $0.image.contains("@sha256:") },
                "\(web.map(\.image))")

        let versions = shop.serviceVersions()
        #expect(versions.count == 5)
        let again = shop.deploy()
        #expect(again.exitCode == 0, "\(again.stderr)\(again.stdout)")
        #expect(Shop.actions(again) == Dictionary(uniqueKeysWithValues: services.map { ($0, "unchanged") }))
        #expect(shop.serviceVersions() == versions)
        #expect(Set(shop.runningTasks("web").map(\.id)) == Set(web.map(\.id)))
    }

    @Test func downRemovesEverythingWithTheProjectsLabels() async throws {
        let shop = try Shop()
        defer { shop.tearDown() }
        let deployed = shop.deploy()
        try #require(deployed.exitCode == 0, "\(deployed.stderr)\(deployed.stdout)")
        let label = "label=dev.wbuild.project=\(shop.name)"
        #expect(shop.cluster.docker(["service", "ls", "-q", "--filter", label])?.isEmpty == false)

        let down = shop.cluster.wbuild(["down", "--target", "swarm"], in: shop.dir.path)
        #expect(down.exitCode == 0, "\(down.stderr)\(down.stdout)")
        #expect(shop.cluster.docker(["service", "ls", "-q", "--filter", label]) == "")
        #expect(shop.cluster.docker(["network", "ls", "-q", "--filter", label]) == "")
        #expect(shop.cluster.docker(["secret", "ls", "-q", "--filter", label]) == "")
        // The tasks' containers go from every node.
        let gone = await eventually(within: .seconds(30), every: .milliseconds(250)) {
            shop.cluster.nodeNames.allSatisfy { shop.cluster.docker(["ps", "-aq", "--filter", label], on: $0) == "" }
        }
        #expect(gone, "\(shop.cluster.nodeNames.map { "\($0): \(shop.cluster.docker(["ps", "-a", "--filter", label], on: $0) ?? "?")" })")
    }

    @Test func anImageFailingItsHealthcheckIsRolledBackAndTheOldVersionServes() async throws {
        let shop = try Shop()
        defer { shop.tearDown() }
        let deployed = shop.deploy()
        try #require(deployed.exitCode == 0, "\(deployed.stderr)\(deployed.stdout)")
        let before = shop.runningTasks("web")
        let oldImage = try #require(before.first?.image)
        let webVersion = shop.serviceVersions()["\(shop.stack)_web"]

        // web's readiness asks for `/`: without index.html the new image answers 404.
        try FileManager.default.removeItem(atPath: shop.dir.url("web/www/index.html"))
        let failed = shop.cluster.wbuild(["deploy", "--target", "swarm", "--registry", "\(shop.cluster.registry)/\(shop.name)"], in: shop.dir.path)
        let said = failed.stdout + failed.stderr
        #expect(failed.exitCode == 1, "\(said)")
        #expect(said.contains("\(shop.stack)_web: Swarm rolled the update back"), "\(said)")
        #expect(said.contains("unhealthy"), "the reason: \(said)")
        #expect(!said.contains("\(shop.stack)_api:"), "only web failed: \(said)")

        let after = shop.runningTasks("web")
        #expect(after.count == 3 && after.allSatisfy { $0.image == oldImage }, "\(after.map(\.image)) vs \(oldImage)")
        #expect(shop.cluster.docker(["service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}", "\(shop.stack)_web"]) == oldImage)
        #expect(shop.cluster.docker(["service", "inspect", "--format", "{{.UpdateStatus.State}}", "\(shop.stack)_web"]) == "rollback_completed")
        #expect(shop.serviceVersions()["\(shop.stack)_web"] != webVersion)
        for task in after {
            let page = shop.page(of: task)
            #expect(page?.contains("<h1>shop</h1>") == true, "web on \(task.node): \(page ?? "no answer")")
        }
    }

    @Test func aKilledNodesTasksAreRescheduledAndStatusSaysSo() async throws {
        let shop = try Shop()
        defer { shop.tearDown() }
        let deployed = shop.deploy()
        try #require(deployed.exitCode == 0, "\(deployed.stderr)\(deployed.stdout)")
        // A worker that runs a web task (the manager stays, or nothing could answer).
        let victim = try #require(shop.runningTasks("web").map(\.node).filter { $0 != "n1" }.sorted().first)
        shop.cluster.killEngine(victim)
        defer {
            shop.cluster.revive(victim)
            _ = waitUntil(seconds: 60) {
                shop.cluster.docker(["node", "ls", "--format", "{{.Status}}"])?.split(separator: "\n").allSatisfy { $0 == "Ready" } == true
            }
        }

        var last: WBuildBinary.Run?
        let moved = await eventually(within: .seconds(90), every: .seconds(1)) {
            let run = shop.cluster.wbuild(["status", "--target", "swarm", "--json"], in: shop.dir.path)
            last = run
            guard let status = run.jsonLines.last(where: { $0["type"] as? String == "swarm-status" }),
                  let nodes = status["nodes"] as? [[String: Any]], let services = status["services"] as? [[String: Any]] else { return false }
            let down = nodes.first { $0["name"] as? String == victim }?["state"] as? String == "down"
            let web = services.first { $0["name"] as? String == "\(shop.stack)_web" }
            let converged = services.allSatisfy { ($0["running"] as? Int) == ($0["desired"] as? Int) && (($0["nodes"] as? [String: Int])?[victim] ?? 0) == 0 }
            return down && converged && (web?["rescheduledFrom"] as? [String]) == [victim]
        }
        #expect(moved, "\(last?.stdout ?? "")\(last?.stderr ?? "")")
        let web = shop.runningTasks("web")
        #expect(web.count == 3 && !web.contains(where: { $0.node == victim }), "\(web.map(\.node))")

        let human = shop.cluster.wbuild(["status", "--target", "swarm"], in: shop.dir.path)
        #expect(human.exitCode == 0, "\(human.stderr)")
        #expect(human.stdout.contains("node \(victim)  down"), "\(human.stdout)")
        #expect(human.stdout.contains("\(shop.stack)_web  3/3 running") && human.stdout.contains("(moved off \(victim))"), "\(human.stdout)")
    }

    @Test func theRouterAnswersOnEveryNodeAndARollingUpdateOfAPIFailsNoRequest() async throws {
        let shop = try Shop()
        defer { shop.tearDown() }
        let deployed = shop.deploy()
        try #require(deployed.exitCode == 0, "\(deployed.stderr)\(deployed.stdout)")
        // Every node's router sends / to web and /api/… to api (as /…), wherever their tasks run.
        for node in shop.cluster.nodeNames {
            let page = shop.throughRouter(on: node, "/")
            #expect(page.status == "200" && page.body.contains("<h1>shop</h1>"), "\(node): \(page)")
            let hello = await eventually(within: .seconds(10), every: .milliseconds(200)) {
                shop.throughRouter(on: node, "/api/cgi-bin/hello").body.contains("hello from api")
            }
            #expect(hello, "\(node): \(shop.throughRouter(on: node, "/api/cgi-bin/hello"))")
        }

        // Requests to every node's router, one after another, for as long as api's update runs.
        let log = shop.dir.url("requests.log")
        let stop = shop.dir.url("requests.stop")
        let addresses = shop.cluster.nodeNames.compactMap { shop.cluster.nodes[$0] }.joined(separator: " ")
        let loop = """
            while [ ! -e '\(stop)' ]; do for address in \(addresses); do
              printf '%s %s\\n' "$address" "$(curl -s -o /dev/null --max-time 10 -w '%{http_code}' "http://$address:8000/api/cgi-bin/health")" >> '\(log)'
            done; done
            """
        let cluster = shop.cluster
        let requests = DispatchGroup()
        requests.enter()
        DispatchQueue.global().async {
            _ = cluster.run(in: "hub", ["/bin/sh", "-c", loop])
            requests.leave()
        }
        defer { _ = try? shop.dir.write("requests.stop", "") }
        let started = await eventually(within: .seconds(10), every: .milliseconds(100)) {
            ((try? shop.dir.read("requests.log")) ?? "").split(separator: "\n").count >= 3
        }
        try #require(started, "the request loop did not start")

        let hello = try shop.dir.read("api/www/cgi-bin/hello")
        let changed = hello.replacingOccurrences(of: "hello from api", with: "hello again from api")
        try #require(changed != hello)
        _ = try shop.dir.write("api/www/cgi-bin/hello", changed)
        let updated = shop.deploy()
        #expect(updated.exitCode == 0, "\(updated.stderr)\(updated.stdout)")
        #expect(Shop.actions(updated)["\(shop.stack)_api"] == "update", "\(Shop.actions(updated))")
        for node in shop.cluster.nodeNames {
            let followed = await eventually(within: .seconds(10), every: .milliseconds(200)) {
                shop.throughRouter(on: node, "/api/cgi-bin/hello").body.contains("hello again from api")
            }
            #expect(followed, "\(node) still answers \(shop.throughRouter(on: node, "/api/cgi-bin/hello"))")
        }
        // A little longer, past the old task's removal.
        try await Task.sleep(for: .seconds(2))
        _ = try shop.dir.write("requests.stop", "")
        _ = await withCheckedContinuation { continuation in
            requests.notify(queue: .global()) { continuation.resume(returning: true) }
        }

        let answers = try shop.dir.read("requests.log").split(separator: "\n")
        let failed = answers.filter { !$0.hasSuffix(" 200") }
        #expect(answers.count >= 30, "only \(answers.count) requests during the update")
        #expect(failed.isEmpty, "\(failed.count) of \(answers.count) failed: \(failed.prefix(10))")
    }
}
