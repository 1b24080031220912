import Foundation
import Testing
@testable import wbuild_bench

/// The publish suite's readers: images.json, `wbuild publish --json`, curl's headers, its options.
@Suite struct PublishSuiteTests {
    @Test func readsImagesJSON() throws {
        let json = """
        {"builds":[{"imageName":"api","tag":"127.0.0.1:5123/shop/api:3f2a9c@sha256:abc","repository":"127.0.0.1:5123/shop/api"},
                   {"imageName":"web","tag":"127.0.0.1:5123/shop/web:77"}]}
        """
        let images = try #require(PublishedImage.parse(Data(json.utf8)))
        #expect(images.count == 2)
        #expect(images[0] == PublishedImage(workload: "api", reference: "127.0.0.1:5123/shop/api:3f2a9c@sha256:abc"))
        #expect(images[0].host == "127.0.0.1:5123")
        #expect(images[0].repository == "shop/api")
        #expect(images[0].tag == "3f2a9c")
        #expect(images[0].digest == "sha256:abc")
        #expect(images[0].reference == "127.0.0.1:5123/shop/api:3f2a9c")
        #expect(images[1].digest == nil)
    }

    @Test func refusesWhatIsNotAReference() {
        #expect(PublishedImage(workload: "api", reference: "api") == nil)
        #expect(PublishedImage(workload: "api", reference: "127.0.0.1:5000/shop/api") == nil)
        #expect(PublishedImage.parse(Data("{\"builds\":[{\"imageName\":\"api\"}]}".utf8)) == nil)
        #expect(PublishedImage.parse(Data("[]".utf8)) == nil)
    }

    @Test func countsPushesAndSkipsFromEventsAndResult() {
        let first = PublishOutcome(lines: [
            #"{"type":"node.start","id":"publish:api","reason":"never built"}"#,
            #"{"type":"node.done","id":"image:api","status":"cached","ms":0}"#,
            #"{"type":"node.done","id":"publish:api","status":"built","ms":120}"#,
            "not json",
            #"{"type":"result","ok":true,"ms":300,"nodes":[{"id":"publish:api","status":"built"},{"id":"publish:web","status":"built"},{"id":"publish:kv","status":"built"}]}"#,
        ])
        #expect(first.ok == true)
        #expect(first.pushed == ["publish:api", "publish:kv", "publish:web"])
        #expect(first.skipped.isEmpty)
        #expect(first.built.isEmpty)

        let noop = PublishOutcome(lines: [
            #"{"type":"node.done","id":"publish:api","status":"cached"}"#,
            #"{"type":"node.done","id":"publish:web","status":"cached"}"#,
            #"{"type":"node.done","id":"image:kv","status":"built"}"#,
            #"{"type":"node.done","id":"publish:kv","status":"failed"}"#,
        ])
        #expect(noop.ok == nil)
        #expect(noop.pushed.isEmpty)
        #expect(noop.skipped == ["publish:api", "publish:web"])
        #expect(noop.built == ["image:kv"])
        #expect(noop.failed == ["publish:kv"])
        #expect(noop.summary == "1 built, 2 cached, 1 failed")
    }

    @Test func readsStatusLinesAndHeaders() {
        #expect(LocalRegistry.statusCode("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n") == 200)
        #expect(LocalRegistry.statusCode("HTTP/1.0 404 Not Found") == 404)
        #expect(LocalRegistry.statusCode("garbage") == nil)
        let headers = ["HTTP/1.1 200 OK\r", "content-type: x\r", "docker-content-digest: sha256:f0b0\r", ""]
        #expect(LocalRegistry.header("Docker-Content-Digest", in: headers) == "sha256:f0b0")
        #expect(LocalRegistry.header("Etag", in: headers) == nil)
    }

    @Test func findsBuiltImagesAndNamesTheirRegistryReferences() {
        let images = PublishSuite.builtImages([
            #"{"type":"result","ok":true,"ms":9,"nodes":[{"id":"image:api","status":"built","image":"wbuild/p-api:0123abcd"},{"id":"workload:api","status":"built"}]}"#,
        ])
        #expect(images == ["api": "wbuild/p-api:0123abcd"])
    }

    @Test func parsesItsOptions() throws {
        let options = try BenchOptions.parse(["publish", "--publish-runs", "2", "--runs", "4"])
        #expect(options.suites == [.publish])
        #expect(options.publishRuns == 2)
        #expect(options.runs == 4)
        #expect(BenchOptions().publishRuns == 3)
    }

    @Test func writesARegistryConfigOnLoopbackOnly() {
        let config = LocalRegistry.config(port: 5123, storage: "/tmp/x/storage")
        #expect(config.contains("addr: 127.0.0.1:5123"))
        #expect(config.contains("rootdirectory: /tmp/x/storage"))
    }
}
