import Foundation
import Testing
@testable import WBuild
import WBuildTestSupport
@testable import WBuildWorkloads

/// What `publish` decides without a registry: where each image goes, which failures are
/// retried, which nodes exist, and that a plain `once` never pushes.
@Suite struct PublishPlanningTests {
    @Test func theFingerprintTagIsTheLocalImagesOwnAndAFixedTagIsKept() {
        let byContent = PublishDestination(registry: "127.0.0.1:5000/shop", workload: "api", tag: .fingerprint, extraTags: [])
        #expect(byContent.repository == "127.0.0.1:5000/shop/api")
        #expect(byContent.registryHost == "127.0.0.1:5000")
        #expect(byContent.primaryTag(localImage: "wbuild/shop-api:3f2a9c0d11e2b4f5") == "3f2a9c0d11e2b4f5")
        let fixed = PublishDestination(registry: "registry.example.com", workload: "web", tag: .fixed("v1"), extraTags: ["latest"])
        #expect(fixed.registryHost == "registry.example.com")
        #expect(fixed.primaryTag(localImage: "wbuild/shop-web:aaaa") == "v1")
    }

    @Test(arguments: [
        ("write tcp 127.0.0.1:1->127.0.0.1:2: write: connection reset by peer", true),
        ("received unexpected HTTP status: 503 Service Unavailable", true),
        ("Put \"http://r/v2/x/blobs/uploads/1\": unexpected EOF", true),
        ("Get \"http://127.0.0.1:5999/v2/\": dial tcp 127.0.0.1:5999: connect: connection refused", false),
        ("unauthorized: authentication required", false),
        ("denied: requested access to the resource is denied", false),
        ("tag does not exist: x:nosuch", false),
    ])
    func onlyFailuresThatMayPassAreRetried(_ message: String, _ transient: Bool) {
        #expect(PushRetry.isTransient(message) == transient)
    }

    @Test func aTransientFailureIsTriedAgainAndAPermanentOneIsNot() async throws {
        struct Flaky: Error, CustomStringConvertible { var description: String }
        var attempts = 0
        let value = try await PushRetry.run {
            attempts += 1
            if attempts < 3 { throw Flaky(description: "connection reset by peer") }
            return "sha256:ok"
        }
        #expect(value == "sha256:ok" && attempts == 3)
        attempts = 0
        await #expect(throws: Flaky.self) {
            try await PushRetry.run { () async throws -> String in
                attempts += 1
                throw Flaky(description: "unauthorized: authentication required")
            }
        }
        #expect(attempts == 1)
    }

    @Test func imagesJSONKeepsOtherWorkloadsAndDropsUnpublishedOnes() throws {
        func build(_ name: String, _ digest: String) -> PublishedImages.Build {
            PublishedImages.Build(imageName: name, tag: "r/\(name):t@\(digest)", repository: "r/\(name)", digest: digest, tags: ["t"],
                                  localImage: "wbuild/p-\(name):t", imageId: "sha256:i")
        }
        let merged = PublishedImages.merged([build("web", "sha256:w1"), build("api", "sha256:a1"), build("gone", "sha256:g")],
                                            [build("api", "sha256:a2")], published: ["api", "web"])
        #expect(merged.builds == [build("api", "sha256:a2"), build("web", "sha256:w1")])
        let text = String(decoding: try merged.encoded(), as: UTF8.self)
        #expect(text.contains("\"tag\" : \"r/api:t@sha256:a2\""))
        #expect(text.contains("\"imageName\" : \"api\""))
    }

    @Test func publishNodesConsumeTheirImageAndPlainOnceLeavesThemOut() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("wbuild.json", """
        { name: "plan", publish: { registry: "127.0.0.1:1/plan" },
          tasks: { gen: { cmd: "echo gen" } },
          workloads: { api: { build: { context: "api" } }, cache: { image: "wbuild-samples/busybox:1" } } }
        """)
        try dir.write("api/Dockerfile", "FROM scratch\n")
        let engine = try Engine.load(projectFile: dir.url("wbuild.json"))
        let order = engine.project.graph.order.map(\.description)
        #expect(order.contains("publish:api"))
        #expect(!order.contains("publish:cache"))  // a ready-made image is not ours to publish
        #expect(engine.project.graph.node(PublishRule.nodeID(workload: "api"))?.inputs == [NodeID(kind: "image", name: "api")])
        let result = try await engine.once(OnceOptions(targets: ["gen"]))
        #expect(result.node("publish:api") == nil)
        #expect(engine.defaultScope?.contains(PublishRule.nodeID(workload: "api")) == false)
        #expect(engine.defaultScope?.contains(NodeID(kind: "image", name: "api")) == true)

        // `up` and `watch` never push: their graphs have no publish nodes.
        let running = try Engine.load(projectFile: dir.url("wbuild.json"), workloads: .run(readyTimeout: .seconds(1)))
        #expect(!running.project.graph.order.contains { $0.kind == "publish" })
    }

    @Test func publishTargetsAreWorkloadsThatBuildTheirImage() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("wbuild.json", """
        { name: "targets", workloads: { api: { build: { context: "api" } }, cache: { image: "wbuild-samples/busybox:1" } } }
        """)
        try dir.write("api/Dockerfile", "FROM scratch\n")
        let noRegistry = try Engine.load(projectFile: dir.url("wbuild.json"))
        await #expect { _ = try await noRegistry.publish() } throws: { error in
            guard let error = error as? WBuildError else { return false }
            return error.exitCode == 2 && error.message.contains("no registry to publish to") && error.hint?.contains("--registry") == true
        }
        let engine = try Engine.load(projectFile: dir.url("wbuild.json"), publishRegistry: "127.0.0.1:1/t")
        #expect(try engine.publishTargets(["api", "publish:api", "image:api"], all: [PublishRule.nodeID(workload: "api")])
                == Array(repeating: PublishRule.nodeID(workload: "api"), count: 3))
        #expect { try engine.publishTargets(["cache"], all: [PublishRule.nodeID(workload: "api")]) } throws: { error in
            (error as? WBuildError)?.message.contains("runs the ready-made image wbuild-samples/busybox:1") == true
        }
        #expect { try engine.publishTargets(["apj"], all: [PublishRule.nodeID(workload: "api")]) } throws: { error in
            (error as? WBuildError)?.hint?.contains("did you mean api?") == true
        }
        #expect { try Engine.load(projectFile: dir.url("wbuild.json"), publishRegistry: "https://r/x") } throws: { error in
            (error as? WBuildError)?.exitCode == 2
        }
    }
}
