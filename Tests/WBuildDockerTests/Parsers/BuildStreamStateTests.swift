import Foundation
import Testing
@testable import WBuildDocker

@Suite("Build stream state")
struct BuildStreamStateTests {
    private func message(stream: String? = nil, auxID: String? = nil, error: String? = nil, code: Int? = nil) throws -> ProgressMessage {
        var object: [String: Any] = [:]
        if let stream { object["stream"] = stream }
        if let auxID { object["aux"] = ["ID": auxID] }
        if let error { object["error"] = error; object["errorDetail"] = ["message": error, "code": code ?? 1] }
        let bytes = try JSONSerializationBytes.encode(object)
        return try JSONCoding.decode(ProgressMessage.self, from: bytes)
    }

    @Test("steps, output without colour codes, the last image ID, and the failure's exit code")
    func failure() throws {
        var state = BuildStreamState()
        var events: [ImageBuildEvent] = []
        events += state.consume(try message(stream: "Step 1/2 : FROM base\n"))
        events += state.consume(try message(auxID: "sha256:stage"))
        events += state.consume(try message(stream: "Step 2/2 : RUN make\n"))
        events += state.consume(try message(stream: "\u{1B}[91mmake: *** no rule\n\u{1B}[0m"))
        events += state.consume(try message(error: "The command '/bin/sh -c make' returned a non-zero code: 2", code: 2))
        #expect(events == [.step("Step 1/2 : FROM base"), .imageID("sha256:stage"), .step("Step 2/2 : RUN make"), .output("make: *** no rule")])
        #expect(state.failure == BuildFailure(step: "Step 2/2 : RUN make", outputTail: ["make: *** no rule"], exitCode: 2,
                                              engineMessage: "The command '/bin/sh -c make' returned a non-zero code: 2"))
        #expect(state.imageID == "sha256:stage")
    }

    @Test("the FROM image is read from a step line")
    func baseImage() {
        #expect(DockerClient.baseImage(inStep: "Step 1/3 : FROM app-base:1 AS build") == "app-base:1")
        #expect(DockerClient.baseImage(inStep: "Step 2/3 : RUN true") == nil)
        #expect(DockerClient.baseImage(inStep: nil) == nil)
    }
}

/// Encodes test fixtures with JSONSerialization.
enum JSONSerializationBytes {
    static func encode(_ object: [String: Any]) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: object))
    }
}
