import Foundation
import Testing
import WBuildTestSupport

/// `wbuild render` on the real binary and engine, its output checked by the tools that consume
/// it: `docker stack config` for the Swarm stack, `terraform init/validate/apply` for the
/// Terraform module; pins read back from a real registry after `wbuild publish`.
@Suite(.serialized) struct RenderEndToEndTests {
    func render(_ arguments: [String], in dir: TemporaryDirectory) throws -> WBuildBinary.Run {
        try WBuildBinary.run(["render", "--json"] + arguments, in: dir.path)
    }

    @Test func theSwarmStackIsOneDockerStackAcceptsAndASecondRenderWritesNothing() throws {
        let (dir, project) = try SampleCopy.make("shop", prefix: "wbt-render")
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let first = try render(["--target", "swarm"], in: dir)
        #expect(first.exitCode == 0, "\(first.stderr)\(first.stdout)")
        #expect(first.status("manifest:swarm") == "built")
        let stackPath = dir.url(".wbuild/out/swarm/stack.yaml")
        let stack = try dir.read(".wbuild/out/swarm/stack.yaml")
        for workload in ["web", "api", "kv", "api-heartbeat"] {
            #expect(stack.contains("\n  \(workload):\n"), "no service \(workload) in\n\(stack)")
        }
        #expect(stack.contains("image: wbuild/\(project)-api:"), "\(stack)")  // not published: the local tag
        #expect(stack.contains("KV_ADDR: kv:7000"), "\(stack)")  // the binding, resolved to the service name
        #expect(first.stderr.contains("only a cluster that shares this engine can run it") ||
                first.stdout.contains("only a cluster that shares this engine can run it"))
        let config = ProcessCapture.run("/usr/bin/env", ["docker", "stack", "config", "-c", stackPath])
        #expect(config.status == 0, "docker stack config refused stack.yaml: \(config.output)")
        #expect(config.output.contains("order: start-first"), "\(config.output)")

        let modified = try FileManager.default.attributesOfItem(atPath: stackPath)[.modificationDate] as? Date
        Thread.sleep(forTimeInterval: 0.05)
        let second = try render(["--target", "swarm"], in: dir)
        #expect(second.exitCode == 0, "\(second.stderr)")
        #expect(second.status("manifest:swarm") == "cached")
        #expect(try FileManager.default.attributesOfItem(atPath: stackPath)[.modificationDate] as? Date == modified)

        // After `rm -rf .wbuild` the files on disk are adopted, not rewritten.
        let out = try dir.read(".wbuild/out/swarm/stack.yaml")
        try FileManager.default.removeItem(atPath: dir.url(".wbuild"))
        _ = try dir.write("elsewhere/keep.txt", "mine\n")
        let third = try render(["--target", "swarm", "--out", dir.url("elsewhere")], in: dir)
        #expect(third.exitCode == 0, "\(third.stderr)")
        #expect(try dir.read("elsewhere/stack.yaml") == out)
        #expect(try dir.read("elsewhere/keep.txt") == "mine\n")  // a user's own file beside the output stays
    }

    @Test func onceLeavesRenderingToWhoAsksForItByName() throws {
        let (dir, project) = try SampleCopy.make("shop", prefix: "wbt-render")
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let plain = try WBuildBinary.run(["once", "--json"], in: dir.path)
        #expect(plain.exitCode == 0, "\(plain.stderr)")
        #expect(plain.nodes["manifest:swarm"] == nil)
        #expect(!FileManager.default.fileExists(atPath: dir.url(".wbuild/out/swarm")))
        let named = try WBuildBinary.run(["once", "--json", "manifest:terraform"], in: dir.path)
        #expect(named.exitCode == 0, "\(named.stderr)")
        #expect(named.status("manifest:terraform") == "built")
        #expect(FileManager.default.fileExists(atPath: dir.url(".wbuild/out/terraform/variables.tf.json")))
        // A change to the spec re-renders; the unchanged images stay cached.
        let spec = try dir.read("wbuild.json").replacingOccurrences(of: "routes: [\"/\"]", with: "routes: [\"/\", \"/shop\"]")
        _ = try dir.write("wbuild.json", spec)
        let again = try WBuildBinary.run(["once", "--json", "manifest:terraform"], in: dir.path)
        #expect(again.status("manifest:terraform") == "built", "\(again.stdout)")
        #expect(again.status("image:web") == "cached")
        #expect(try dir.read(".wbuild/out/terraform/locals.tf.json").contains("\"/shop\""))
    }

    @Test func publishedImagesArePinnedByTheRegistrysDigestAndTerraformReadsThem() async throws {
        let (dir, project) = try SampleCopy.make("shop", prefix: "wbt-render")
        let registry = try LocalRegistry(directory: try dir.makeDirectory("registry"))
        defer { registry.stop(); DockerCLI.cleanUp(project: project); dir.remove() }
        #expect(await registry.waitUntilListening())
        let published = try WBuildBinary.run(["publish", "--json", "--registry", "\(registry.address)/\(project)"], in: dir.path)
        #expect(published.exitCode == 0, "\(published.stderr)\(published.stdout)")
        let run = try render(["--target", "terraform"], in: dir)
        #expect(run.exitCode == 0, "\(run.stderr)")
        let tfvars = try dir.read(".wbuild/out/terraform/wbuild.auto.tfvars.json")
        let apiTag = try #require(published.nodes["publish:api"]?["tag"] as? String)
        let digest = try #require(try await registry.manifestDigest(repository: "\(project)/api", tag: apiTag))
        let pinned = "\(registry.address)/\(project)/api@\(digest)"
        #expect(tfvars.contains("\"api\": \"\(pinned)\""), "\(tfvars)")
        #expect(!run.stderr.contains("api runs the local image"), "\(run.stderr)")

        // A consumer module of the user's own reads the refs, routes and services.
        let consumer = try dir.makeDirectory("consumer")
        _ = try dir.write("consumer/main.tf.json", """
        {"module": {"app": {"source": "\(dir.url(".wbuild/out/terraform"))"}},
         "output": {"api_image": {"value": "${module.app.images[\\"api\\"]}"},
                    "api_port": {"value": "${module.app.services[\\"api\\"].ports[\\"http\\"].port}"},
                    "first_route": {"value": "${module.app.routes[0].workload}"}}}
        """)
        let environment = ["CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": "/dev/null", "TF_IN_AUTOMATION": "1"]
        for step in [["init", "-input=false"], ["validate"], ["apply", "-auto-approve", "-input=false"]] {
            let result = ProcessCapture.run("/usr/bin/env", ["terraform"] + step, in: consumer, environment: environment)
            #expect(result.status == 0, "terraform \(step[0]) failed (Terraform 1.11 is in /usr/local/bin on these machines): \(result.output)")
        }
        let output = ProcessCapture.run("/usr/bin/env", ["terraform", "output", "-json"], in: consumer, environment: environment)
        let values = try #require(try JSONSerialization.jsonObject(with: Data(output.output.utf8)) as? [String: [String: Any]], "\(output.output)")
        #expect(values["api_image"]?["value"] as? String == pinned)
        #expect(values["api_port"]?["value"] as? Int == 8080)
        #expect(values["first_route"]?["value"] as? String == "web")
    }

    @Test func whatAClusterCannotRunIsAnErrorAtItsKeyPath() throws {
        let (dir, project) = try SampleCopy.make("shop", prefix: "wbt-render")
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let spec = try dir.read("wbuild.json").replacingOccurrences(
            of: "volumes: [{ name: \"data\", target: \"/data\" }]", with: "volumes: [{ source: \"./kv-data\", target: \"/data\" }]")
        _ = try dir.write("wbuild.json", spec)
        let run = try WBuildBinary.run(["render", "--target", "swarm"], in: dir.path)
        #expect(run.exitCode == 1)
        let text = run.stdout + run.stderr
        #expect(text.contains("workloads.kv.volumes[0]"), "\(text)")
        #expect(text.contains("use a named volume"), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: dir.url(".wbuild/out/swarm/stack.yaml")))

        let bad = try WBuildBinary.run(["render", "--target", "nomad"], in: dir.path)
        #expect(bad.exitCode == 2)
        #expect(bad.stderr.contains("--target takes one of kubernetes, helm, terraform, swarm"), "\(bad.stderr)")
    }

    @Test func kubernetesFilesAndAChartWhoseClusterValuesAreCheckedAgainstItsSchema() throws {
        let (dir, project) = try SampleCopy.make("shop", prefix: "wbt-render")
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let kubernetes = try render(["--target", "kubernetes"], in: dir)
        #expect(kubernetes.exitCode == 0, "\(kubernetes.stderr)\(kubernetes.stdout)")
        let kustomization = try dir.read(".wbuild/out/kubernetes/kustomization.yaml")
        for file in ["web-deployment.yaml", "api-service.yaml", "api-strip-ingress.yaml", "data-persistentvolumeclaim.yaml"] {
            #expect(kustomization.contains("  - \(file)\n"), "\(kustomization)")
        }
        #expect(try dir.read(".wbuild/out/kubernetes/api-configmap.yaml").contains("KV_ADDR: kv:7000"))

        _ = try dir.write("prod.yaml", "workloads:\n  api:\n    replicas: 3\ningress:\n  className: traefik\n")
        let good = try render(["--target", "helm", "--values", "prod.yaml"], in: dir)
        #expect(good.exitCode == 0, "\(good.stderr)\(good.stdout)")
        #expect(FileManager.default.fileExists(atPath: dir.url(".wbuild/out/helm/\(project)/values.schema.json")))
        _ = try dir.write("typo.yaml", "workloads:\n  api:\n    replica: 3\n")
        let bad = try WBuildBinary.run(["render", "--target", "helm", "--values", "typo.yaml"], in: dir.path)
        #expect(bad.exitCode == 1)
        #expect(bad.stderr.contains("typo.yaml does not fit the chart"), "\(bad.stderr)")
        #expect(bad.stderr.contains("Additional property replica is not allowed"), "\(bad.stderr)")
        let misplaced = try WBuildBinary.run(["render", "--target", "kubernetes", "--values", "prod.yaml"], in: dir.path)
        #expect(misplaced.exitCode == 2)
        #expect(misplaced.stderr.contains("--values is for --target helm"), "\(misplaced.stderr)")
    }
}
