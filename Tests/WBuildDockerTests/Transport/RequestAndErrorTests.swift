import Testing
@testable import WBuildDocker

@Suite("Requests and error text")
struct RequestAndErrorTests {
    @Test("every request carries Host; JSON bodies carry their type and length; streamed bodies are chunked")
    func serializedHeads() {
        let get = String(decoding: HTTPRequest(method: "GET", target: "/_ping").serializedHead(), as: UTF8.self)
        #expect(get == "GET /_ping HTTP/1.1\r\nHost: docker\r\nUser-Agent: wbuild\r\n\r\n")
        let json = String(decoding: HTTPRequest(method: "POST", target: "/v1.41/containers/create",
                                                body: .bytes(Array("{}".utf8), contentType: "application/json")).serializedHead(), as: UTF8.self)
        #expect(json.contains("Content-Type: application/json\r\nContent-Length: 2\r\n"))
        let streamed = HTTPRequest(method: "POST", target: "/v1.41/build", body: .stream(contentType: "application/x-tar") { _ in })
        #expect(String(decoding: streamed.serializedHead(), as: UTF8.self).contains("Transfer-Encoding: chunked\r\n"))
        #expect(!streamed.isIdempotent)
        #expect(!streamed.body.isReplayable)
        let empty = String(decoding: HTTPRequest(method: "POST", target: "/x/start").serializedHead(), as: UTF8.self)
        #expect(empty.contains("Content-Length: 0\r\n"))
        let hijack = String(decoding: HTTPRequest(method: "POST", target: "/exec/1/start", hijacks: true).serializedHead(), as: UTF8.self)
        #expect(hijack.contains("Connection: Upgrade\r\nUpgrade: tcp\r\n"))
    }

    @Test("query values are percent-encoded; image names keep / and :")
    func escaping() {
        #expect(QueryString.encode([("filters", "{\"label\":[\"a=b\"]}"), ("skip", nil), ("t", "x y")])
                == "?filters=%7B%22label%22%3A%5B%22a%3Db%22%5D%7D&t=x%20y")
        #expect(PathSegment.escapeName("127.0.0.1:5000/app:1") == "127.0.0.1:5000/app:1")
    }

    @Test("an HTTP error reads the daemon's JSON message, 404 becomes notFound, and the text names the call")
    func httpErrors() {
        let notFound = DockerError.fromResponse(method: "GET", endpoint: "/v1.41/images/x/json", status: 404,
                                                body: Array("{\"message\":\"no such image: x\"}".utf8))
        #expect(notFound.kind == .notFound)
        #expect(notFound.message == "no such image: x")
        #expect(notFound.description.hasPrefix("docker GET /images/x/json: no such image: x (HTTP 404)"))
        let plain = DockerError.fromResponse(method: "GET", endpoint: "/v1.11/version", status: 400,
                                             body: Array("client version 1.11 is too old\n".utf8))
        #expect(plain.kind == .httpError)
        #expect(plain.message == "client version 1.11 is too old")
        #expect(plain.hint != nil)
    }

    @Test("the description of a failed build lists step, exit code, output and hint")
    func buildFailureText() {
        let error = DockerError(.inBandError, method: "POST", endpoint: "/v1.41/build", status: 200, message: "boom",
                                hint: "fix it", buildFailure: BuildFailure(step: "Step 2/2 : RUN x", outputTail: ["out"], exitCode: 3))
        #expect(error.description == """
            docker POST /build: boom (HTTP 200)
              failing step: Step 2/2 : RUN x
              exit code: 3
              last output:
                out
              hint: fix it
            """)
    }

    @Test("a failed call names the method and path, never the query: build args stay out of every error")
    func redactsQueries() {
        let secret = "q" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let target = "/v1.41/build" + QueryString.encode([("t", "wbuild/p-api:1"), ("buildargs", "{\"TOKEN\":\"\(secret)\"}")])
        let rejected = DockerError.fromResponse(method: "POST", endpoint: target, status: 400,
                                                body: Array("{\"message\":\"dockerfile parse error line 2: unknown instruction: NOTACMD\"}".utf8))
        #expect(rejected.description.hasPrefix("docker POST /build: dockerfile parse error line 2: unknown instruction: NOTACMD (HTTP 400)"))
        let cancelled = DockerError(.cancelled, method: "POST", endpoint: target, message: "cancelled")
        #expect(cancelled.description == "docker POST /build: cancelled")
        for error in [rejected, cancelled] {
            #expect(error.endpoint == "/build")
            #expect(!error.description.contains(secret))
            #expect(!error.description.contains("buildargs"))
        }
        #expect(HTTPRequest(method: "POST", target: target).call == "POST /build")
    }

    @Test("redacting a target drops the query and the version segment, and keeps anything else")
    func redactedTargets() {
        #expect(RequestTarget.redacted("/v1.41/containers/abc/json?size=1") == "/containers/abc/json")
        #expect(RequestTarget.redacted("/_ping") == "/_ping")
        #expect(RequestTarget.redacted("/v1.41") == "/")
        #expect(RequestTarget.redacted("/volumes/x?force=1#frag") == "/volumes/x")
        #expect(RequestTarget.redacted("/version") == "/version")
        #expect(RequestTarget.redacted("/v2.x/images") == "/v2.x/images")
        #expect(RequestTarget.redacted("unix:///var/run/docker.sock") == "unix:///var/run/docker.sock")
    }
}
