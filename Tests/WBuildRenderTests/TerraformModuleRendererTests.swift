import Testing
import WBuildSpec
@testable import WBuildRender

/// The Terraform module: refs, routes and services as a consumer module reads them (the real
/// `terraform` reads it in RenderEndToEndTests).
struct TerraformModuleRendererTests {
    @Test func variablesDefaultToTheRenderedRefsAndOutputsNameTheRoutes() throws {
        let spec = try ProjectLoader.parse(Array("""
        { name: "shop", workloads: {
            web: { build: { context: "web" }, ports: [{ name: "http", container: 8080, protocol: "http" }], routes: ["/"] },
            api: { build: { context: "api" }, ports: [{ container: 9000, protocol: "grpc" }],
                   routes: [{ path: "/api", stripPrefix: true, host: "shop.localhost" }] } } }
        """.utf8), fileName: "wbuild.json")
        let rendering = try TerraformModuleRenderer().render(RenderInput(spec: spec, images: [
            "web": RenderedImage(repository: "r.example/shop/web", tag: "1", digest: "sha256:aa", isPublished: true),
            "api": RenderedImage(repository: "r.example/shop/api", tag: "1", digest: "sha256:bb", isPublished: true),
        ]))
        #expect(rendering.files.map(\.path) == ["locals.tf.json", "outputs.tf.json", "variables.tf.json", "wbuild.auto.tfvars.json"])
        let tfvars = try #require(rendering.files.first { $0.path == "wbuild.auto.tfvars.json" }).contents
        #expect(tfvars == "{\n  \"images\": {\n    \"web\": \"r.example/shop/web@sha256:aa\",\n    \"api\": \"r.example/shop/api@sha256:bb\"\n  }\n}\n")
        let variables = try #require(rendering.files.first { $0.path == "variables.tf.json" }).contents
        #expect(variables.contains("\"default\": {\n        \"web\": \"r.example/shop/web@sha256:aa\""))
        let locals = try #require(rendering.files.first { $0.path == "locals.tf.json" }).contents
        #expect(locals.contains("\"host\": \"shop.localhost\",\n        \"path\": \"/api\""))
        #expect(locals.contains("\"strip_prefix\": true"))
        #expect(locals.contains("\"port0\": {\n            \"port\": 9000,\n            \"protocol\": \"grpc\""))
        #expect(rendering.warnings.isEmpty)
    }
}
