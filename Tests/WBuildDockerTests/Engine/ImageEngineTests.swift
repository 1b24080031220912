import Foundation
import Synchronization
import Testing
@testable import WBuildDocker

@Suite("Engine: ping, builds and images (real engine)")
struct ImageEngineTests {
    @Test("ping negotiates 1.41 with this engine and every later path carries /v1.41")
    func pingNegotiates() async throws {
        let client = TestEngine.client()
        let version = try await client.ping()
        #expect(version.negotiated == APIVersion(major: 1, minor: 41))
        #expect(version.engineAPIVersion >= APIVersion(major: 1, minor: 41))
        #expect(version.osType == "linux")
        let info = try await client.version()
        #expect(info.apiVersion == "1.41")
        #expect(try await client.target("/info") == "/v1.41/info")
    }

    @Test("sequential calls reuse one keep-alive connection")
    func keepAlive() async throws {
        let client = TestEngine.client()
        try await client.ping()
        _ = try await client.version()
        let info = try await client.info()   // a chunked body
        #expect(info.storageDriver?.isEmpty == false)
        #expect(info.runtimes.contains("runc"))
        _ = try await client.inspectImage("wbuild-dockertest-none:\(UUID().uuidString.prefix(6).lowercased())")   // a 404
        #expect(client.transport.connectionsOpened == 1)
    }

    @Test("build a tiny image from the busybox base, find it by label, tag it, remove it")
    func buildInspectTagRemove() async throws {
        _ = try await TestEngine.ensureBaseImage()
        let client = TestEngine.client()
        let name = TestEngine.uniqueName("image")
        let tag = "\(name):1"
        let marker = UUID().uuidString
        let context = try TestEngine.context(
            dockerfile: "FROM \(TestEngine.baseImage)\nARG GREETING\nCOPY hello.txt /hello.txt\nRUN echo \"$GREETING\" > /greeting\n",
            files: ["hello.txt": "hello \(marker)\n"])
        let events = Mutex<[ImageBuildEvent]>([])
        let imageID = try await client.build(
            contextTar: context,
            options: BuildOptions(tags: [tag], buildArgs: ["GREETING": "hola"], labels: ["dev.wbuild.test": "WBuildDockerTests", "marker": marker]),
            onEvent: { event in events.withLock { $0.append(event) } })
        #expect(imageID.hasPrefix("sha256:"))
        let seen = events.withLock { $0 }
        #expect(seen.contains { if case .step(let text) = $0 { text.contains("COPY hello.txt") } else { false } })
        #expect(seen.last { if case .imageID = $0 { true } else { false } } == .imageID(imageID))

        let info = try #require(try await client.inspectImage(tag))
        #expect(info.id == imageID)
        #expect(info.repoTags.contains(tag))
        #expect(info.labels["marker"] == marker)
        #expect(!info.created.isEmpty)

        let listed = try await client.listImages(labelFilter: ["marker=\(marker)"])
        #expect(listed.map(\.id) == [imageID])

        try await client.tagImage(tag, repository: name, tag: "2")
        #expect(try await client.inspectImage("\(name):2")?.id == imageID)
        try await client.removeImage("\(name):2")
        try await client.removeImage(tag)
        #expect(try await client.inspectImage(tag) == nil)
    }

    @Test("a context streamed through TarWriter builds, with the Dockerfile at a custom path")
    func streamedContext() async throws {
        _ = try await TestEngine.ensureBaseImage()
        let client = TestEngine.client()
        let tag = TestEngine.uniqueName("streamed") + ":1"
        let imageID = try await client.build(options: BuildOptions(tags: [tag], dockerfile: "docker/Build.dockerfile",
                                                                   labels: ["dev.wbuild.test": "WBuildDockerTests"])) { write in
            var tar = TarWriter(sink: write)
            try tar.append(.directory("docker"))
            try tar.append(.file("docker/Build.dockerfile", contents: Array("FROM \(TestEngine.baseImage)\nCOPY payload.bin /payload.bin\n".utf8)))
            try tar.append(.file("payload.bin", contents: [UInt8](repeating: 7, count: 200_000)))
            try tar.finish()
        }
        #expect(try await client.inspectImage(tag)?.id == imageID)
        try await client.removeImage(tag, force: true)
    }

    @Test("a Dockerfile from outside the context builds, and COPY . sees neither it nor .dockerignore")
    func injectedDockerfile() async throws {
        _ = try await TestEngine.ensureBaseImage()
        let client = TestEngine.client()
        let dockerfile = "FROM \(TestEngine.baseImage)\nCOPY . /ctx/\n"
            + "RUN test -e /ctx/app.txt && test ! -e /ctx/.dockerignore && ! ls -A /ctx | grep -q dockerfile\n"
        let (extra, path) = DockerfileInjection.entries(dockerfile: Array(dockerfile.utf8),
                                                       existingDockerignore: Array("*.log".utf8), suffix: "0123456789abcdef0123")
        #expect(path == ".dockerfile.0123456789abcdef0123")
        let context = try TarWriter.archive([.file("app.txt", contents: Array("app".utf8))] + extra)
        let tag = TestEngine.uniqueName("injected") + ":1"
        let imageID = try await client.build(contextTar: context, options: BuildOptions(tags: [tag], dockerfile: path, noCache: true))
        #expect(try await client.inspectImage(tag)?.id == imageID)
        try await client.removeImage(tag, force: true)
    }

    @Test("a failing RUN step throws with the step, its output and exit code 3")
    func failingRun() async throws {
        _ = try await TestEngine.ensureBaseImage()
        let client = TestEngine.client()
        let context = try TestEngine.context(dockerfile: "FROM \(TestEngine.baseImage)\nRUN echo about-to-fail-\(UUID().uuidString.prefix(6)) && exit 3\n")
        await #expect {
            try await client.build(contextTar: context, options: BuildOptions(noCache: true))
        } throws: { error in
            guard let error = error as? DockerError, let failure = error.buildFailure else { return false }
            return error.kind == .inBandError && failure.exitCode == 3
                && (failure.step?.contains("RUN echo about-to-fail") ?? false)
                && failure.outputTail.contains { $0.hasPrefix("about-to-fail-") }
                && error.description.contains("exit code: 3")
        }
    }

    @Test("a missing base image fails in-band with a message naming it and a hint to build it locally")
    func missingBase() async throws {
        let client = TestEngine.client()
        let missing = TestEngine.uniqueName("nobase") + ":1"
        let context = try TestEngine.context(dockerfile: "FROM \(missing)\nRUN true\n")
        await #expect {
            try await client.build(contextTar: context, options: BuildOptions())
        } throws: { error in
            guard let error = error as? DockerError else { return false }
            return error.kind == .inBandError && error.status == 200 && error.message.contains(missing.split(separator: ":")[0])
                && (error.hint?.contains("build the base image locally") ?? false)
        }
    }

    @Test("a Dockerfile parse error is an HTTP error with the daemon's message, naming the call but not its build args")
    func parseError() async throws {
        let client = TestEngine.client()
        let context = try TestEngine.context(dockerfile: "FROM scratch\nNOTACMD x\n")
        let secret = "s" + String(UInt64.random(in: 0...UInt64.max), radix: 36) + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        await #expect {
            try await client.build(contextTar: context, options: BuildOptions(buildArgs: ["TOKEN": secret]))
        } throws: { error in
            guard let error = error as? DockerError else { return false }
            return error.kind == .httpError && error.status == 400 && error.message.contains("unknown instruction")
                && error.endpoint == "/build" && error.method == "POST"
                && error.description.hasPrefix("docker POST /build: ") && !error.description.contains(secret)
        }
    }

    @Test("inspecting a missing image gives nil")
    func inspectMissing() async throws {
        #expect(try await TestEngine.client().inspectImage(TestEngine.uniqueName("absent") + ":nope") == nil)
    }

    @Test("pulling a public image with no registry reachable says which image, why, and what to do")
    func pullUnreachable() async throws {
        let client = TestEngine.client()
        await #expect {
            try await client.pullImage("alpine:3.19")
        } throws: { error in
            guard let error = error as? DockerError, let hint = error.hint else { return false }
            return error.message.contains("cannot pull image alpine:3.19")
                && error.message.contains("cannot be reached")
                && hint.contains("build a base image locally") && hint.contains("registry mirror") && hint.contains("docker login")
        }
    }

    @Test("image references split into repository and tag")
    func referenceParsing() {
        #expect(ImageReference.split("127.0.0.1:5000/app:1") == ("127.0.0.1:5000/app", "1"))
        #expect(ImageReference.split("127.0.0.1:5000/app") == ("127.0.0.1:5000/app", "latest"))
        #expect(ImageReference.split("busybox") == ("busybox", "latest"))
        #expect(ImageReference.split("app@sha256:ab") == ("app", "sha256:ab"))
    }
}
