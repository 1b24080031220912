import Foundation
import Testing
import WBuild
import WBuildTestSupport

/// A build's Dockerfile and context must stay inside the project: `dockerfile: "/etc/shadow"`
/// was accepted and its first line came back in the build error. Each escape is a project-file
/// error at the key's line and column that prints nothing read from the file.
@Suite struct BuildPathTests {
    static func loadError(_ spec: String, in dir: TemporaryDirectory) -> WBuildError? {
        do {
            try dir.write("wbuild.json", spec)
            _ = try Engine.load(projectFile: dir.url("wbuild.json"))
            return nil
        } catch let error as WBuildError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    static func project(build: String) -> String {
        "{ name: \"paths\", workloads: {\n  api: { build: \(build) } } }"
    }

    @Test(arguments: [
        (#"{ context: ".", dockerfile: "/etc/shadow" }"#, "/etc/shadow"),
        (#"{ context: ".", dockerfile: "../outside/Dockerfile" }"#, "../outside/Dockerfile"),
        (#"{ context: ".", dockerfile: "sub/../../Dockerfile" }"#, "sub/../../Dockerfile"),
    ])
    func aDockerfileOutsideTheProjectIsAnErrorAtItsKey(_ build: String, _ named: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let error = Self.loadError(Self.project(build: build), in: dir)
        #expect(error?.exitCode == 2)
        let column = (Self.project(build: build).components(separatedBy: "\n")[1] as NSString).range(of: "\"\(named)\"").location + 1
        #expect(error?.message.hasPrefix("\(dir.url("wbuild.json")):2:\(column): workloads.api.build.dockerfile: the Dockerfile \"\(named)\" is not in the project") == true,
                "\(String(describing: error))")
    }

    @Test func aDockerfileSymlinkedOutsideIsRefusedWithoutReadingIt() throws {
        let dir = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        defer { dir.remove(); outside.remove() }
        let secret = try outside.write("Dockerfile", "root:$6$secret-hash:19000:0:99999:7:::\n")
        try FileManager.default.createSymbolicLink(atPath: dir.url("Dockerfile"), withDestinationPath: secret)
        // Named explicitly, and as the context's default Dockerfile.
        for build in [#"{ context: ".", dockerfile: "Dockerfile" }"#, #"{ context: "." }"#] {
            let error = Self.loadError(Self.project(build: build), in: dir)
            #expect(error?.exitCode == 2)
            #expect(error?.message.contains("resolves through a symlink to \(secret), outside the project") == true,
                    "\(String(describing: error))")
            #expect(error?.message.contains("secret-hash") == false)
        }
    }

    @Test func aContextSymlinkedOutsideIsAnErrorAtItsKey() throws {
        let dir = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        defer { dir.remove(); outside.remove() }
        try outside.write("Dockerfile", "FROM scratch\n")
        try FileManager.default.createSymbolicLink(atPath: dir.url("ctx"), withDestinationPath: outside.path)
        let error = Self.loadError(Self.project(build: #"{ context: "ctx" }"#), in: dir)
        #expect(error?.message.contains("wbuild.json:2:28: workloads.api.build.context: the build context \"ctx\" is not in the project") == true,
                "\(String(describing: error))")
    }

    @Test func aDockerfileThatBecomesASymlinkOutsideIsNotReadWhenBuilding() async throws {
        let dir = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        defer { dir.remove(); outside.remove() }
        try dir.write("Dockerfile", "FROM scratch\n")
        try dir.write("wbuild.json", Self.project(build: #"{ context: "." }"#))
        let engine = try Engine.load(projectFile: dir.url("wbuild.json"))
        // Replaced after the graph was made, as an edit under `watch` could.
        let secret = try outside.write("shadow", "root:$6$swapped-secret:19000:0:99999:7:::\n")
        try FileManager.default.removeItem(atPath: dir.url("Dockerfile"))
        try FileManager.default.createSymbolicLink(atPath: dir.url("Dockerfile"), withDestinationPath: secret)
        let result = try await engine.once()
        let failure = result.node("image:api")?.failure?.message ?? ""
        #expect(failure.contains("is not in the project: it resolves through a symlink to \(secret)"), "\(failure)")
        #expect(!failure.contains("swapped-secret"))
    }

    @Test func pathsInsideTheProjectLoad() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("api/Dockerfile", "FROM scratch\n")
        try dir.write("docker/api.Dockerfile", "FROM scratch\n")
        for build in [#"{ context: "api" }"#, #"{ context: "api", dockerfile: "docker/api.Dockerfile" }"#,
                      "{ context: \"api\", dockerfile: \"\(dir.url("docker/api.Dockerfile"))\" }",
                      #"{ context: "api", dockerfile: "api/../docker/api.Dockerfile" }"#] {
            #expect(Self.loadError(Self.project(build: build), in: dir) == nil, "\(build)")
        }
    }
}
