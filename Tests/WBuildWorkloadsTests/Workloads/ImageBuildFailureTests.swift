import Testing
import WBuildDocker
@testable import WBuildWorkloads

/// A failed build's message carries the engine's reason, never the request URL.
@Suite struct ImageBuildFailureTests {
    let dockerfile = Array("FROM base\nRUN true\nBOGUS thing\n".utf8)

    @Test func anInBandErrorKeepsTheStepAndTheEnginesMessageAndDropsBuilderChatter() {
        let error = DockerError(.inBandError, method: "POST", endpoint: "/v1.41/build?t=x&labels=%7B%7D", status: 200,
                                message: "COPY failed: file not found in build context or excluded by .dockerignore: stat a: file does not exist",
                                buildFailure: BuildFailure(step: "Step 3/4 : COPY a /x", outputTail: ["---> 3f2a9c0d1e2b", "---> Using cache", "real output"],
                                                           exitCode: nil))
        let failure = ImageBuildFailure.nodeFailure(for: error, dockerfile: dockerfile, displayPath: "api/Dockerfile")
        #expect(failure.message == "image build failed at Step 3/4 : COPY a /x: COPY failed: file not found in build context or excluded by .dockerignore: stat a: file does not exist")
        #expect(failure.tail == ["real output"])
    }

    @Test func aRejectedDockerfileShowsFileLineTextAndMessage() {
        let error = DockerError(.httpError, method: "POST", endpoint: "/v1.41/build?t=x", status: 400,
                                message: "dockerfile parse error line 3: unknown instruction: BOGUS")
        let failure = ImageBuildFailure.nodeFailure(for: error, dockerfile: dockerfile, displayPath: "api/Dockerfile")
        #expect(failure.message == "api/Dockerfile:3: `BOGUS thing`: dockerfile parse error line 3: unknown instruction: BOGUS (docker POST /build, HTTP 400)")
        #expect(!failure.description.contains("/build?"))
    }

    @Test func otherEngineErrorsKeepTheirMessageWithoutTheURL() {
        let error = DockerError(.httpError, method: "POST", endpoint: "/v1.41/build?t=x", status: 500, message: "no space left on device")
        let failure = ImageBuildFailure.nodeFailure(for: error, dockerfile: dockerfile, displayPath: "api/Dockerfile")
        #expect(failure.message == "image build failed: no space left on device (docker POST /build, HTTP 500)")
    }
}
