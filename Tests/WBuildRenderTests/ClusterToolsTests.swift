import Foundation
import Testing
import WBuildRouter
import WBuildSpec
import WBuildTestSupport
@testable import WBuildRender

/// The Kubernetes and Helm outputs checked by the tools that consume them, as set-up installs
/// them (scripts/setup.sh → /opt/wbuild-tools): `kubernetes-validate --strict` for 1.29 and
/// 1.30 on every sample, `helm lint --strict` and `helm template`, the chart's objects with
/// default values against `--target kubernetes` (as parsed YAML), and one corpus of requests
/// routed by the local router's matcher and by the rendered Ingress rules.
@Suite(.serialized)
struct ClusterToolsTests {
    static let tools = "/opt/wbuild-tools/bin"
    static let python = "/opt/wbuild-tools/venv/bin/python"
    static let script = SampleRendering.repositoryRoot + "/Tests/Tools/kube_objects.py"

    static func tool(_ name: String) throws -> String {
        let path = name == "python" ? python : "\(tools)/\(name)"
        try #require(FileManager.default.isExecutableFile(atPath: path), "\(path) is missing: run scripts/setup.sh")
        return path
    }

    /// kubernetes-validate --strict for one release; every object must pass, and a kind the
    /// release lacks (only a warning to the tool) fails here.
    static func validate(_ files: [String], version: String, objects: Int) throws {
        let result = ProcessCapture.run(try tool("kubernetes-validate"), ["-k", version, "--strict"] + files)
        #expect(result.status == 0, "kubernetes-validate \(version): \(result.output)")
        let passed = result.output.components(separatedBy: " passed for resource ").count - 1
        #expect(passed == objects, "kubernetes-validate \(version) passed \(passed) of \(objects) objects: \(result.output)")
    }

    static func objectFiles(_ rendering: Rendering, in folder: String) -> [String] {
        rendering.files.map(\.path).filter { $0 != "kustomization.yaml" }.map { "\(folder)/\($0)" }
    }

    @Test func everySamplesKubernetesOutputIsValidFor129And130() throws {
        let samples = try SampleRendering.samplesWithWorkloads()
        #expect(samples.count >= 3, "samples with workloads: \(samples)")
        for sample in samples {
            let directory = try TemporaryDirectory(prefix: "k8s-\(sample)")
            defer { directory.remove() }
            let rendering = try SampleRendering.render(.kubernetes, SampleRendering.input(try SampleRendering.spec(sample)))
            try SampleRendering.write(rendering, into: directory.path)
            let files = Self.objectFiles(rendering, in: directory.path)
            for version in ["1.29.0", "1.30.0"] {
                try Self.validate(files, version: version, objects: files.count)
            }
        }
    }

    @Test func everySamplesChartLintsAndTemplatesToValidObjectsLikeKubernetes() throws {
        for sample in try SampleRendering.samplesWithWorkloads() {
            let directory = try TemporaryDirectory(prefix: "helm-\(sample)")
            defer { directory.remove() }
            let spec = try SampleRendering.spec(sample)
            let input = SampleRendering.input(spec)
            let kubernetes = try SampleRendering.render(.kubernetes, input)
            try SampleRendering.write(kubernetes, into: directory.path + "/kubernetes")
            try SampleRendering.write(try SampleRendering.render(.helm, input), into: directory.path + "/helm")
            let chart = "\(directory.path)/helm/\(HelmChartRenderer.chartName(spec))"
            let lint = ProcessCapture.run(try Self.tool("helm"), ["lint", "--strict", chart])
            #expect(lint.status == 0, "helm lint --strict \(sample): \(lint.output)")
            let template = ProcessCapture.run(try Self.tool("helm"), ["template", spec.name, chart])
            #expect(template.status == 0, "helm template \(sample): \(template.output)")
            let templated = try directory.write("templated.yaml", template.output)
            let objects = Self.objectFiles(kubernetes, in: directory.path + "/kubernetes").count
            for version in ["1.29.0", "1.30.0"] {
                try Self.validate([templated], version: version, objects: objects)
            }
            let same = ProcessCapture.run(try Self.tool("python"), [Self.script, "same-objects", directory.path + "/kubernetes", templated])
            #expect(same.status == 0, "helm template \(sample) with default values differs from --target kubernetes: \(same.output)")
        }
    }

    @Test func aClustersValuesChangeWhatTheyNameAndAMisspeltKeyFailsTheSchema() throws {
        let directory = try TemporaryDirectory(prefix: "helm-values")
        defer { directory.remove() }
        let spec = try SampleRendering.spec("shop")
        try SampleRendering.write(try SampleRendering.render(.helm, SampleRendering.input(spec)), into: directory.path)
        let chart = "\(directory.path)/shop"
        let override = try directory.write("prod.yaml", """
            createNamespace: false
            workloads:
              api:
                image: { registry: registry.example.com, repository: team/api, tag: "2", digest: "" }
                replicas: 3
              kv:
                resources: { limits: { memory: 1Gi } }
            ingress:
              defaultHost: shop.example.com
              tls: [{ hosts: [shop.example.com], secretName: shop-tls }]
            """)
        let template = ProcessCapture.run(try Self.tool("helm"), ["template", "shop", chart, "-f", override])
        #expect(template.status == 0, "\(template.output)")
        #expect(template.output.contains("image: \"registry.example.com/team/api:2\""))
        #expect(template.output.contains("  replicas: 3\n"))
        // Helm merges a cluster's maps into the defaults: the memory limit changes, the rest stays.
        #expect(template.output.contains("resources: {\"limits\":{\"cpu\":\"500m\",\"memory\":\"1Gi\"},\"requests\":{\"cpu\":\"500m\",\"memory\":\"64Mi\"}}"))
        #expect(template.output.contains("      host: \"shop.example.com\"\n"))
        #expect(template.output.contains("\"secretName\":\"shop-tls\""))
        #expect(!template.output.contains("kind: Namespace"))
        let misspelt = try directory.write("typo.yaml", "workloads:\n  api:\n    replica: 3\n")
        let lint = ProcessCapture.run(try Self.tool("helm"), ["lint", "--strict", chart, "-f", misspelt])
        #expect(lint.status != 0)
        #expect(lint.output.contains("Additional property replica is not allowed"), "\(lint.output)")
    }

    /// Requests across hosts, nested prefixes, exact paths and element boundaries.
    static let corpus: [(host: String?, path: String)] = [
        (nil, "/"), (nil, "/index.html"), (nil, "/api"), (nil, "/api/"), (nil, "/api/items/7"), (nil, "/apix"),
        (nil, "/api2/x"), (nil, "/status"), (nil, "/status/x"), (nil, "/docs"), (nil, "/docs/v2/a"), (nil, "/docs/v2x"),
        ("admin.localhost", "/"), ("admin.localhost", "/admin"), ("admin.localhost", "/admin/users"),
        ("admin.localhost", "/api/x"), ("admin.localhost", "/other"), ("other.localhost", "/api/x"), ("other.localhost", "/x"),
    ]

    static let routedProject = """
    { name: "routes", kubernetes: { ingressClass: "nginx" }, workloads: {
        web: { image: "web:1", ports: [{ container: 80, protocol: "http" }], routes: ["/", { path: "/admin", host: "admin.localhost" }] },
        api: { image: "api:1", ports: [{ container: 8080, protocol: "http" }],
               routes: [{ path: "/api", stripPrefix: true }, { path: "/status", match: "exact" }] },
        docs: { image: "docs:1", ports: [{ container: 8081, protocol: "http" }],
                routes: ["/docs", { path: "/docs/v2", stripPrefix: true }, { path: "/", host: "admin.localhost", match: "exact" }] },
    } }
    """

    @Test(arguments: ["shop", "routes"])
    func theIngressRulesRouteEveryRequestAsTheLocalRouterDoes(project: String) throws {
        let spec = project == "shop"
            ? try SampleRendering.spec("shop")
            : try ProjectLoader.parse(Array(Self.routedProject.utf8), fileName: "wbuild.json")
        let directory = try TemporaryDirectory(prefix: "routing")
        defer { directory.remove() }
        let rendering = try SampleRendering.render(.kubernetes, SampleRendering.input(spec))
        try SampleRendering.write(rendering, into: directory.path)
        let corpus = try directory.write("corpus.txt", Self.corpus.map { "\($0.host ?? "-") \($0.path)" }.joined(separator: "\n") + "\n")
        let evaluated = ProcessCapture.run(try Self.tool("python"), [Self.script, "ingress-backends", directory.path, corpus])
        #expect(evaluated.status == 0, "\(evaluated.output)")
        let answers = evaluated.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(answers.count >= Self.corpus.count, "\(evaluated.output)")
        for (index, request) in Self.corpus.enumerated() {
            let routed = spec.routeTable.match(host: request.host, path: request.path)
            let expected = routed.map { "\($0.rule.workload) \($0.forwardedTarget)" } ?? "-"
            #expect(answers[index] == expected, "\(request.host ?? "(no host)") \(request.path): router \(expected), Ingress \(answers[index])")
        }
    }
}
