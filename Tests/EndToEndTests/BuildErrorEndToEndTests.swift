import Foundation
import Testing
import WBuildTestSupport

/// A failed image build says why, in the engine's words, on the terminal and in `--json`.
@Suite struct BuildErrorEndToEndTests {
    func project(_ prefix: String, dockerfile: String) throws -> (String, TemporaryDirectory) {
        let name = "wbt-berr-\(prefix)-\(UUID().uuidString.prefix(6).lowercased())"
        let dir = try TemporaryDirectory()
        try dir.write("wbuild.json", #"{ name: "\#(name)", workloads: { api: { build: { context: "api" } } } }"#)
        try dir.write("api/Dockerfile", dockerfile)
        try dir.write("api/present.txt", "here\n")
        return (name, dir)
    }

    @Test func aMissingCopySourceShowsTheEnginesReason() throws {
        let (name, dir) = try project("copy", dockerfile: """
        FROM wbuild-samples/busybox:1
        RUN true
        COPY missing.txt /x
        RUN true
        """)
        defer { DockerCLI.cleanUp(project: name); dir.remove() }
        let json = try WBuildBinary.run(["once", "--json"], in: dir.path)
        #expect(json.exitCode == 1)
        let error = json.nodes["image:api"]?["error"] as? String ?? ""
        #expect(error.contains("COPY missing.txt /x"), "\(error)")
        #expect(error.contains("COPY failed: file not found in build context"), "\(error)")
        let hint = json.nodes["image:api"]?["hint"] as? String ?? ""
        #expect(!hint.contains("FROM image"), "\(hint)")

        let human = try WBuildBinary.run(["once"], in: dir.path)
        #expect(human.stdout.contains("COPY failed: file not found in build context"), "\(human.stdout)")
        #expect(!human.stdout.contains("---> "), "builder chatter in the failure: \(human.stdout)")
    }

    @Test func aFailingRunShowsTheEnginesMessage() throws {
        let (name, dir) = try project("run", dockerfile: "FROM wbuild-samples/busybox:1\nRUN exit 3\n")
        defer { DockerCLI.cleanUp(project: name); dir.remove() }
        let run = try WBuildBinary.run(["once"], in: dir.path)
        #expect(run.exitCode == 1)
        #expect(run.stdout.contains("The command '/bin/sh -c exit 3' returned a non-zero code: 3"), "\(run.stdout)")
    }

    @Test func aDockerfileSyntaxErrorShowsTheLineAndNotTheRequest() throws {
        let (name, dir) = try project("syntax", dockerfile: "FROM wbuild-samples/busybox:1\nRUN true\nBOGUS thing\n")
        defer { DockerCLI.cleanUp(project: name); dir.remove() }
        let run = try WBuildBinary.run(["once"], in: dir.path)
        #expect(run.exitCode == 1)
        #expect(run.stdout.contains("api/Dockerfile:3: `BOGUS thing`"), "\(run.stdout)")
        #expect(run.stdout.contains("unknown instruction: BOGUS"), "\(run.stdout)")
        #expect(!run.stdout.contains("/build?"), "the request URL is printed: \(run.stdout)")
    }
}

extension BuildErrorEndToEndTests {
    @Test func aFailedRebuildUnderWatchEndsWithACrossAndWhatFailed() throws {
        let (name, dir) = try project("watch", dockerfile: "FROM wbuild-samples/busybox:1\nCOPY present.txt /x\n")
        try dir.write("wbuild.json", #"{ name: "\#(name)", workloads: { api: { build: { context: "api" }, command: ["sleep", "3600"] } } }"#)
        defer { DockerCLI.cleanUp(project: name); dir.remove() }
        let watch = try RunningWBuild(["watch"], in: dir.path)
        defer { watch.stop() }
        #expect(watch.wait(timeout: .seconds(90)) { watch.stdoutLines.contains { $0.contains("● api ready") } },
                "\(watch.stdoutLines.suffix(20)) \(watch.stderrText)")
        try dir.write("api/Dockerfile", "FROM wbuild-samples/busybox:1\nCOPY missing.txt /x\n")
        #expect(watch.wait(timeout: .seconds(90)) { watch.stdoutLines.contains { $0.contains("api/Dockerfile changed → ") } },
                "\(watch.stdoutLines.suffix(20))")
        let line = try #require(watch.stdoutLines.last { $0.contains("api/Dockerfile changed → ") })
        #expect(line.hasPrefix("✗ "), "\(line)")
        #expect(line.contains("image:api failed: image build failed at Step 2/3 : COPY missing.txt /x"), "\(line)")
        #expect(line.contains("COPY failed: file not found"), "\(line)")
        #expect(!line.contains("\u{1B}["), "colour without a terminal: \(line)")
        #expect(watch.stop() == 0)
    }
}
