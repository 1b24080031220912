import Testing
import WBuildSpec
@testable import WBuildRender

/// The chart as `helm create` users read it: the layout, values that hold what differs between
/// clusters, templates that read them, a schema that refuses what the chart does not take.
struct HelmChartRendererTests {
    static let project = """
    { name: "shop", helm: { chart: "store", version: "1.2.3" }, workloads: {
        "my-api": { build: { context: "api" }, ports: [{ container: 8080, protocol: "http" }],
                    routes: [{ path: "/", host: "api.localhost" }], resources: { cpus: 1 }, autoscale: { min: 1, max: 4 } },
        cache: { image: "redis:7", replicas: 2 },
    } }
    """

    static func files() throws -> [String: String] {
        let spec = try ProjectLoader.parse(Array(Self.project.utf8), fileName: "wbuild.json")
        let input = RenderInput(spec: spec, images: [
            "my-api": RenderedImage(repository: "127.0.0.1:5000/shop/my-api", tag: "abc", digest: "sha256:1111", isPublished: true),
        ])
        return Dictionary(uniqueKeysWithValues: try HelmChartRenderer().render(input).files.map { ($0.path, $0.contents) })
    }

    @Test func theChartHasHelmCreatesLayout() throws {
        let files = try Self.files()
        for path in ["store/Chart.yaml", "store/values.yaml", "store/values.schema.json", "store/templates/_helpers.tpl",
                     "store/templates/NOTES.txt", "store/templates/namespace.yaml", "store/templates/my-api/deployment.yaml",
                     "store/templates/my-api/ingress.yaml", "store/templates/cache/deployment.yaml"] {
            #expect(files[path] != nil, "no \(path) in \(files.keys.sorted())")
        }
        #expect(try #require(files["store/Chart.yaml"]).contains("name: store\n"))
        #expect(try #require(files["store/Chart.yaml"]).contains("version: \"1.2.3\"\n"))
    }

    @Test func valuesHoldImagesReplicasAutoscalingResourcesAndTheIngress() throws {
        let values = try #require(try Self.files()["store/values.yaml"])
        #expect(values.contains("  my-api:\n    image:\n      registry: \"127.0.0.1:5000\"\n      repository: shop/my-api\n      tag: abc\n      digest: sha256:1111\n    replicas: 1\n    autoscaling:\n      enabled: true\n      minReplicas: 1\n      maxReplicas: 4\n"))
        #expect(values.contains("  cache:\n    image:\n      registry: \"\"\n      repository: redis\n      tag: \"7\"\n"))
        #expect(values.contains("ingress:\n  enabled: true\n"))
        #expect(values.contains("  hosts:\n    api.localhost: api.localhost\n"))
    }

    @Test func templatesReadTheValuesAndKeysThatAreNotIdentifiersGoThroughIndex() throws {
        let deployment = try #require(try Self.files()["store/templates/my-api/deployment.yaml"])
        #expect(deployment.contains("  {{- if not (index .Values.workloads \"my-api\").autoscaling.enabled }}\n  replicas: {{ (index .Values.workloads \"my-api\").replicas | toJson }}\n  {{- end }}\n"))
        #expect(deployment.contains("image: {{ include \"store.image\" (index .Values.workloads \"my-api\").image | quote }}"))
        let autoscaler = try #require(try Self.files()["store/templates/cache/horizontalpodautoscaler.yaml"])
        #expect(autoscaler.hasPrefix("# Rendered") && autoscaler.contains("{{- if .Values.workloads.cache.autoscaling.enabled }}\n"))
        let ingress = try #require(try Self.files()["store/templates/my-api/ingress.yaml"])
        #expect(ingress.contains("host: {{ (index .Values.ingress.hosts \"api.localhost\") | toJson }}"))
    }

    @Test func theSchemaIsClosedButWhereAClusterAddsItsOwn() throws {
        let schema = try #require(try Self.files()["store/values.schema.json"])
        #expect(schema.contains("\"$schema\": \"http://json-schema.org/draft-07/schema#\""))
        #expect(schema.contains("\"additionalProperties\": false"))
        #expect(schema.contains("\"resources\": {\n              \"type\": \"object\"\n            }"))
        #expect(schema.contains("\"replicas\": {\n              \"type\": \"integer\",\n              \"minimum\": 0\n            }"))
    }

    @Test func registriesAreSplitAsDockerReadsThem() {
        #expect(HelmValues.splitRegistry("127.0.0.1:5000/shop/api") == ("127.0.0.1:5000", "shop/api"))
        #expect(HelmValues.splitRegistry("registry.example.com/team/api") == ("registry.example.com", "team/api"))
        #expect(HelmValues.splitRegistry("localhost/api") == ("localhost", "api"))
        #expect(HelmValues.splitRegistry("library/redis") == ("", "library/redis"))
        #expect(HelmValues.splitRegistry("redis") == ("", "redis"))
    }
}
