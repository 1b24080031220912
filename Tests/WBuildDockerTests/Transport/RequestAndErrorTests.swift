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
        #expect(notFound.description.hasPrefix("docker GET /v1.41/images/x/json: no such image: x (HTTP 404)"))
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
            docker POST /v1.41/build: boom (HTTP 200)
              failing step: Step 2/2 : RUN x
              exit code: 3
              last output:
                out
              hint: fix it
            """)
    }
}
