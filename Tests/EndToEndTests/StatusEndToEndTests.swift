import Foundation
import Testing
import WBuildTestSupport

/// `wbuild status` shows an image's state and when apart from the reason it last ran.
@Suite struct StatusEndToEndTests {
    @Test func statusShowsTheImagesStateAndWhenApartFromTheReason() throws {
        let name = "wbt-stat-\(UUID().uuidString.prefix(6).lowercased())"
        let dir = try TemporaryDirectory()
        defer { DockerCLI.cleanUp(project: name); dir.remove() }
        try dir.write("wbuild.json", #"{ name: "\#(name)", workloads: { api: { build: { context: "api" } } } }"#)
        try dir.write("api/Dockerfile", "FROM wbuild-samples/busybox:1\nCOPY a.txt /a\n")
        try dir.write("api/a.txt", "a\n")
        #expect(try WBuildBinary.run(["once"], in: dir.path).exitCode == 0)

        func imageLine() throws -> String {
            let status = try WBuildBinary.run(["status"], in: dir.path)
            return status.stdout.split(separator: "\n").map(String.init).first { $0.contains("image ") } ?? status.stdout
        }
        let built = try imageLine()
        let builtShape = try Regex("image wbuild/\(name)-api:[0-9a-f]{16}  built (just now|[0-9]+ s ago)  reason: never built")
        #expect(built.contains(builtShape), "\(built)")

        #expect(try WBuildBinary.run(["once"], in: dir.path).exitCode == 0)
        let cached = try imageLine()
        #expect(cached.contains(#/  cached (just now|[0-9]+ s ago) \(built (just now|[0-9]+ s ago)\)  reason: up to date/#), "\(cached)")

        try dir.write("api/Dockerfile", "FROM wbuild-samples/busybox:1\nCOPY missing.txt /a\n")
        #expect(try WBuildBinary.run(["once"], in: dir.path).exitCode == 1)
        let failed = try imageLine()
        #expect(failed.contains("  failed "), "\(failed)")
        #expect(failed.contains("reason: inputs changed: api/Dockerfile"), "\(failed)")
        #expect(failed.contains("COPY failed"), "\(failed)")

        let json = try WBuildBinary.run(["status", "--json"], in: dir.path)
        let object = try #require(json.jsonLines.first { $0["workload"] as? String == "api" })
        let build = try #require(object["build"] as? [String: Any])
        #expect(build["state"] as? String == "failed")
        #expect(build["at"] is Double)
    }
}
