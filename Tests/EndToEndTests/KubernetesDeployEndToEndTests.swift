import Foundation
import Testing
import WBuildTestSupport

/// Builds (when not cached) and starts the test Kubernetes cluster (`KubernetesTestCluster`)
/// around a whole suite, and stops it after the suite's last test. A cluster that cannot be
/// built or started fails the suite with the script's words.
struct KubernetesTestClusterTrait: SuiteTrait, TestScoping {
    @TaskLocal static var current: KubernetesTestCluster?

    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let cluster = try KubernetesTestCluster()
        defer { cluster.stop() }
        try await Self.$current.withValue(cluster, operation: function)
    }
}

extension Trait where Self == KubernetesTestClusterTrait {
    static var kubernetesTestCluster: Self { Self() }
}

/// `wbuild deploy|status|down --target kubernetes|helm` on a real one-node Kubernetes 1.20:
/// Samples/shop built straight into the node's dockerd, deployed with kubectl and with Helm;
/// what the tests check is what `kubectl` and `helm` say about the cluster, what answers
/// through a port-forward, and wbuild's exit code and words.
@Suite(.serialized, .kubernetesTestCluster) struct KubernetesDeployEndToEndTests {
    /// A copy of Samples/shop under a name of its own (its namespace and release too), allowed
    /// to deploy to the test cluster's context, with a volume ready for kv's claim.
    struct Shop {
        let cluster: KubernetesTestCluster
        let dir: TemporaryDirectory
        let name: String

        init(allowContext: Bool = true) throws {
            cluster = try #require(KubernetesTestClusterTrait.current, "the suite's cluster")
            (dir, name) = try SampleCopy.make("shop", prefix: "k8s")
            let spec = try dir.read("wbuild.json")
            let context = allowContext ? ", cluster: { context: \"\(KubernetesTestCluster.context)\" }" : ""
            let edited = spec.replacingOccurrences(
                of: "kubernetes: { ingressClass: \"nginx\" },",
                with: "kubernetes: { ingressClass: \"nginx\", kubectl: \"\(KubernetesTestCluster.kubectlPath)\", helm: \"\(KubernetesTestCluster.helmPath)\"\(context) },")
            #expect(edited != spec)
            _ = try dir.write("wbuild.json", edited)
            try cluster.provideVolume(namespace: name, claim: "data")
        }

        func wbuild(_ arguments: [String], timeout: Duration = .seconds(300)) throws -> WBuildBinary.Run {
            try WBuildBinary.run(arguments, in: dir.path, environment: cluster.environment, timeout: timeout)
        }

        func deploy(_ target: String = "kubernetes", _ extra: [String] = []) throws -> WBuildBinary.Run {
            try wbuild(["deploy", "--target", target, "--json"] + extra)
        }

        /// The `{"type":"deploy"}` object of a `--json` run.
        static func result(_ run: WBuildBinary.Run) -> [String: Any]? {
            run.jsonLines.last { $0["type"] as? String == "deploy" }
        }

        /// Object (`Deployment NS/web`) → action.
        static func actions(_ run: WBuildBinary.Run) -> [String: String] {
            let objects = (result(run)?["objects"] as? [[String: Any]]) ?? []
            return Dictionary(objects.compactMap { object in
                (object["name"] as? String).flatMap { name in (object["action"] as? String).map { (name, $0) } }
            }, uniquingKeysWith: { first, _ in first })
        }

        /// `Kind/name` → resourceVersion of everything labelled with the project, namespace included.
        func resourceVersions() -> [String: String] {
            let kinds = "namespaces,configmaps,secrets,services,persistentvolumeclaims,deployments.apps,ingresses.networking.k8s.io,horizontalpodautoscalers.autoscaling"
            let items = (cluster.json([kinds, "-A", "-l", "dev.wbuild.project=\(name)"])?["items"] as? [[String: Any]]) ?? []
            return Dictionary(items.compactMap { item in
                let metadata = item["metadata"] as? [String: Any]
                guard let kind = item["kind"] as? String, let name = metadata?["name"] as? String,
                      let version = metadata?["resourceVersion"] as? String else { return nil }
                return ("\(kind)/\(name)", version)
            }, uniquingKeysWith: { first, _ in first })
        }

        /// Deployment → `ready/desired available` as the cluster reports it.
        func deployments() -> [String: String] {
            let items = (cluster.json(["deployments.apps", "-n", name])?["items"] as? [[String: Any]]) ?? []
            return Dictionary(items.compactMap { item in
                guard let name = (item["metadata"] as? [String: Any])?["name"] as? String else { return nil }
                let desired = (item["spec"] as? [String: Any])?["replicas"] as? Int ?? -1
                let available = (item["status"] as? [String: Any])?["availableReplicas"] as? Int ?? 0
                return (name, "\(available)/\(desired)")
            }, uniquingKeysWith: { first, _ in first })
        }

        func annotation(_ key: String, ofDeployment deployment: String) -> String? {
            let metadata = cluster.json(["deployment.apps/\(deployment)", "-n", name])?["metadata"] as? [String: Any]
            return (metadata?["annotations"] as? [String: String])?[key]
        }

        /// Names of the pods of a workload that are not being deleted.
        func pods(_ workload: String) -> [String] {
            let items = (cluster.json(["pods", "-n", name, "-l", "app.kubernetes.io/name=\(workload)"])?["items"] as? [[String: Any]]) ?? []
            return items.compactMap { item in
                let metadata = item["metadata"] as? [String: Any]
                return metadata?["deletionTimestamp"] == nil ? metadata?["name"] as? String : nil
            }.sorted()
        }

        func page() -> (body: String?, log: String) {
            cluster.fetchThroughPortForward(namespace: name, target: "service/web", port: 8080)
        }

        func namespaceExists() -> Bool {
            cluster.kubectl(["get", "namespace", name]).status == 0
        }

        func tearDown(_ target: String = "kubernetes") {
            _ = try? wbuild(["down", "--target", target])
            cluster.removeVolumes(namespace: name)
            dir.remove()
        }
    }

    static let everyDeployment = ["web": "1/1", "api": "1/1", "kv": "1/1"]

    @Test func kubectlDeployMakesEveryDeploymentAvailableANoOpChangesNothingAndDownRemovesEverything() throws {
        let shop = try Shop()
        defer { shop.tearDown() }
        let first = try shop.deploy()
        #expect(first.exitCode == 0, "\(first.stderr)\(first.stdout)")
        #expect(Shop.result(first)?["ok"] as? Bool == true)
        let ns = shop.name
        let created = Shop.actions(first)
        #expect(created["Namespace \(ns)"] == "create" && created["Deployment \(ns)/web"] == "create"
                && created["PersistentVolumeClaim \(ns)/data"] == "create", "\(created)")
        #expect(created.values.allSatisfy { $0 == "create" }, "\(created)")
        #expect(shop.deployments() == Self.everyDeployment)
        // Progress events while the Deployments rolled out.
        #expect(first.jsonLines.contains { ($0["state"] as? String) == "available" }, "\(first.stdout)")
        let page = shop.page()
        #expect(page.body?.contains("<h1>shop</h1>") == true, "\(page.log)")

        let versions = shop.resourceVersions()
        #expect(versions.count == created.count, "\(versions) against \(created)")
        let again = try shop.deploy()
        #expect(again.exitCode == 0, "\(again.stderr)\(again.stdout)")
        #expect(Shop.result(again)?["unchanged"] as? Bool == true, "\(again.stdout)")
        #expect(Set(Shop.actions(again).values) == ["unchanged"])
        #expect(shop.resourceVersions() == versions)
        let human = try shop.wbuild(["deploy", "--target", "kubernetes"])
        #expect(human.exitCode == 0 && human.stdout.contains("unchanged"), "\(human.stdout)")
        let plan = try shop.deploy("kubernetes", ["--plan"])
        #expect(Shop.result(plan)?["planned"] as? Bool == true && Set(Shop.actions(plan).values) == ["unchanged"], "\(plan.stdout)")

        let status = try shop.wbuild(["status", "--target", "kubernetes"])
        #expect(status.exitCode == 0 && status.stdout.contains("web  1/1 ready"), "\(status.stdout)\(status.stderr)")
        let down = try shop.wbuild(["down", "--target", "kubernetes", "--json"])
        #expect(down.exitCode == 0, "\(down.stderr)")
        #expect(!shop.namespaceExists())
        #expect(shop.resourceVersions().isEmpty)
    }

    @Test func aChangedImageRollsOnlyItsDeploymentAndPrunesNothingElse() throws {
        let shop = try Shop()
        defer { shop.tearDown() }
        let first = try shop.deploy()
        #expect(first.exitCode == 0, "\(first.stderr)\(first.stdout)")
        let webPods = shop.pods("web")
        let apiPods = shop.pods("api")
        let versions = shop.resourceVersions()
        let index = try shop.dir.read("web/www/index.html")
        _ = try shop.dir.write("web/www/index.html", index.replacingOccurrences(of: "<h1>shop</h1>", with: "<h1>shop, second edition</h1>"))

        let plan = try shop.deploy("kubernetes", ["--plan"])
        let planned = Shop.actions(plan)
        #expect(planned["Deployment \(shop.name)/web"] == "update", "\(planned)")
        #expect(planned.filter { $0.value != "unchanged" }.count == 1, "\(planned)")

        let second = try shop.deploy()
        #expect(second.exitCode == 0, "\(second.stderr)\(second.stdout)")
        #expect(Shop.actions(second) == planned)
        #expect(shop.annotation("deployment.kubernetes.io/revision", ofDeployment: "web") == "2")
        #expect(shop.annotation("deployment.kubernetes.io/revision", ofDeployment: "api") == "1")
        let newPods = shop.pods("web")
        #expect(newPods.count == 1 && Set(newPods).isDisjoint(with: webPods), "\(webPods) → \(newPods)")
        #expect(shop.pods("api") == apiPods)
        #expect(shop.deployments() == Self.everyDeployment)
        let after = shop.resourceVersions()
        #expect(after.filter { versions[$0.key] != $0.value }.keys.sorted() == ["Deployment/web"], "\(versions) → \(after)")
        let page = shop.page()
        #expect(page.body?.contains("shop, second edition") == true, "\(page.log)")
    }

    @Test func aFailingReadinessProbeNamesThePodAndTheProbeAndTheOldPodKeepsServing() throws {
        let shop = try Shop()
        defer { shop.tearDown() }
        let first = try shop.deploy()
        #expect(first.exitCode == 0, "\(first.stderr)\(first.stdout)")
        let apiPods = shop.pods("api")
        let spec = try shop.dir.read("wbuild.json")
        let broken = spec.replacingOccurrences(of: "readiness: { http: { path: \"/cgi-bin/health\", port: 8080 }",
                                               with: "readiness: { http: { path: \"/missing\", port: 8080 }")
        #expect(broken != spec)
        _ = try shop.dir.write("wbuild.json", broken)

        let failed = try shop.wbuild(["deploy", "--target", "kubernetes", "--timeout", "20"])
        #expect(failed.exitCode == 1, "\(failed.stderr)\(failed.stdout)")
        let message = failed.stderr
        #expect(message.contains("Deployment api did not become ready"), "\(message)")
        #expect(message.range(of: #"pod api-[a-z0-9]+-[a-z0-9]+: container api: Readiness probe failed: HTTP probe failed with statuscode: 404"#,
                              options: .regularExpression) != nil, "\(message)")
        #expect(failed.stdout.contains("deploy failed"), "\(failed.stdout)")
        // maxUnavailable 0: the old pod still serves.
        #expect(shop.pods("api").contains(apiPods.first ?? "?"), "\(apiPods) → \(shop.pods("api"))")
    }

    @Test func anImageThatCannotBePulledFailsAtOnceNamingThePodAndTheReason() throws {
        let shop = try Shop()
        defer { shop.tearDown() }
        let spec = try shop.dir.read("wbuild.json")
        let ghost = spec.replacingOccurrences(of: "  workloads: {\n", with: "  workloads: {\n    ghost: { image: \"wbuild-samples/absent:1\" },\n")
        #expect(ghost != spec)
        _ = try shop.dir.write("wbuild.json", ghost)
        let started = ContinuousClock.now
        let failed = try shop.wbuild(["deploy", "--target", "kubernetes", "--timeout", "240"])
        let took = ContinuousClock.now - started
        #expect(failed.exitCode == 1, "\(failed.stderr)\(failed.stdout)")
        #expect(failed.stderr.range(of: #"Deployment ghost cannot become ready \(.*\): pod ghost-[a-z0-9]+-[a-z0-9]+: container ghost: (ErrImagePull|ImagePullBackOff)"#,
                                    options: .regularExpression) != nil, "\(failed.stderr)")
        #expect(took < .seconds(120), "a pull that cannot succeed fails before the timeout: \(took)")
        // The other workloads rolled out all the same.
        #expect(shop.deployments().filter { $0.key != "ghost" } == Self.everyDeployment)
    }

    @Test func helmInstallsANoOpLeavesTheReleaseAFailingProbeRollsBackAndDownRemovesEverything() throws {
        let shop = try Shop()
        defer { shop.tearDown("helm") }
        let first = try shop.deploy("helm")
        #expect(first.exitCode == 0, "\(first.stderr)\(first.stdout)")
        #expect(Shop.actions(first) == ["release \(shop.name)/\(shop.name)": "install"])
        #expect(shop.deployments() == Self.everyDeployment)
        let page = shop.page()
        #expect(page.body?.contains("<h1>shop</h1>") == true, "\(page.log)")

        let versions = shop.resourceVersions()
        let again = try shop.deploy("helm")
        #expect(again.exitCode == 0, "\(again.stderr)\(again.stdout)")
        #expect(Shop.actions(again) == ["release \(shop.name)/\(shop.name)": "unchanged"])
        #expect(shop.resourceVersions() == versions)
        let history = shop.cluster.helm(["history", shop.name, "-n", shop.name, "--max", "10"]).output
        #expect(history.split(separator: "\n").count == 2, "one revision: \(history)")

        let apiPods = shop.pods("api")
        let spec = try shop.dir.read("wbuild.json")
        _ = try shop.dir.write("wbuild.json", spec.replacingOccurrences(of: "readiness: { http: { path: \"/cgi-bin/health\", port: 8080 }",
                                                                        with: "readiness: { http: { path: \"/missing\", port: 8080 }"))
        let failed = try shop.wbuild(["deploy", "--target", "helm", "--timeout", "20"])
        #expect(failed.exitCode == 1, "\(failed.stderr)\(failed.stdout)")
        #expect(failed.stderr.contains("rolled the release back"), "\(failed.stderr)")
        #expect(failed.stderr.range(of: #"pod api-[a-z0-9]+-[a-z0-9]+: container api: Readiness probe failed: HTTP probe failed with statuscode: 404"#,
                                    options: .regularExpression) != nil, "\(failed.stderr)")
        let rolledBack = shop.cluster.helm(["history", shop.name, "-n", shop.name, "-o", "json"]).output
        #expect(rolledBack.contains("Rollback to 1"), "\(rolledBack)")
        #expect(shop.pods("api") == apiPods)
        #expect(shop.deployments() == Self.everyDeployment)

        let down = try shop.wbuild(["down", "--target", "helm"])
        #expect(down.exitCode == 0, "\(down.stderr)")
        #expect(!shop.namespaceExists())
        #expect(shop.cluster.helm(["status", shop.name, "-n", shop.name]).status != 0)
    }

    @Test func aContextThatDoesNotLookLocalIsRefusedUntilTheProjectNamesIt() throws {
        let shop = try Shop(allowContext: false)
        defer { shop.tearDown() }
        let refused = try shop.wbuild(["deploy", "--target", "kubernetes"])
        #expect(refused.exitCode == 2, "\(refused.stderr)\(refused.stdout)")
        #expect(refused.stderr.contains("refusing to deploy to kube context `wbuild-test`"), "\(refused.stderr)")
        #expect(refused.stderr.contains("kubernetes: { cluster: { context: \"wbuild-test\" } }"), "\(refused.stderr)")
        #expect(!shop.namespaceExists())
        let doctor = try shop.wbuild(["doctor", "--target", "kubernetes"])
        #expect(doctor.exitCode == 3 && doctor.stdout.contains("✗ kube context"), "\(doctor.stdout)")

        // --context alone does not allow it either; naming it in wbuild.json does.
        let overridden = try shop.wbuild(["deploy", "--target", "kubernetes", "--context", "wbuild-test", "--plan"])
        #expect(overridden.exitCode == 2, "\(overridden.stderr)")
        let spec = try shop.dir.read("wbuild.json")
        _ = try shop.dir.write("wbuild.json", spec.replacingOccurrences(of: "helm: \"\(KubernetesTestCluster.helmPath)\" },",
                                                                        with: "helm: \"\(KubernetesTestCluster.helmPath)\", cluster: { context: \"wbuild-test\" } },"))
        let doctorOK = try shop.wbuild(["doctor", "--target", "helm"])
        #expect(doctorOK.exitCode == 0, "\(doctorOK.stdout)")
        #expect(doctorOK.stdout.contains("✓ cluster connection") && doctorOK.stdout.contains("Kubernetes 1.20"), "\(doctorOK.stdout)")
        let plan = try shop.deploy("kubernetes", ["--plan"])
        #expect(plan.exitCode == 0, "\(plan.stderr)")
        #expect(!Shop.actions(plan).isEmpty && Set(Shop.actions(plan).values) == ["create"], "\(plan.stdout)")
        #expect(!shop.namespaceExists())
    }
}
