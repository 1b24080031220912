import Testing
@testable import WBuildSpec

@Suite("secretEnv and build.secretArgs")
struct SecretDecodingTests {
    @Test("a workload's secretEnv and its build's secretArgs name a file or a variable, never a value")
    func decodes() throws {
        let spec = try loadSpec(project(workloads: """
            { api: {
                build: { context: ".", args: { MODE: "dev" }, secretArgs: { NPM_TOKEN: { env: "NPM_TOKEN" } } },
                env: { LOG: "debug" },
                secretEnv: { DB_PASSWORD: { file: "./secrets/../secrets/db" }, API_KEY: { env: "API_KEY" } },
            } }
            """))
        let api = try #require(spec.workload(named: "api"))
        #expect(api.secretEnv == [
            SecretSpec(name: "DB_PASSWORD", source: .file("secrets/db"), keyPath: "workloads.api.secretEnv.DB_PASSWORD"),
            SecretSpec(name: "API_KEY", source: .environment("API_KEY"), keyPath: "workloads.api.secretEnv.API_KEY"),
        ])
        guard case .build(let build) = api.source else { Issue.record("expected a build"); return }
        #expect(build.args == [KeyValuePair("MODE", "dev")])
        #expect(build.secretArgs == [
            SecretSpec(name: "NPM_TOKEN", source: .environment("NPM_TOKEN"), keyPath: "workloads.api.build.secretArgs.NPM_TOKEN"),
        ])
    }

    @Test("mistakes are reported at their key path with line and column, and an inline value is never echoed")
    func mistakes() {
        let inline = "hunter2-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let found = diagnostics(project(workloads: """
            { api: { image: "x:1",
                env: { DB: "plain" },
                secretEnv: {
                  A: { file: "../outside" },
                  B: { file: "/etc/shadow" },
                  C: { file: "s/c", env: "C" },
                  D: "\(inline)",
                  DB: { env: "DB" },
                  E: {},
                  F: { path: "s/f" },
                },
            } }
            """))
        let byPath = Dictionary(found.map { ($0.keyPath, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byPath["workloads.api.secretEnv.A.file"]?.message.contains("outside the project") == true)
        #expect(byPath["workloads.api.secretEnv.B.file"]?.message.contains("outside the project") == true)
        #expect(byPath["workloads.api.secretEnv.C.env"]?.message.contains("only one of") == true)
        #expect(byPath["workloads.api.secretEnv.D"]?.message.contains("expected `{ file:") == true)
        #expect(byPath["workloads.api.secretEnv.DB"]?.message.contains("also given in `env`") == true)
        #expect(byPath["workloads.api.secretEnv.E"]?.message.contains("found none") == true)
        #expect(byPath["workloads.api.secretEnv.F.path"]?.message.contains("unknown key") == true)
        for diagnostic in found {
            #expect(diagnostic.line > 0 && diagnostic.column > 0)
            #expect(!diagnostic.description.contains(inline))
        }
    }

    @Test("a build arg given both in args and secretArgs is an error")
    func buildArgConflict() {
        let found = diagnostics(project(workloads: """
            { api: { build: { context: ".", args: { T: "x" }, secretArgs: { T: { env: "T" } } } } }
            """))
        #expect(found.map(\.keyPath) == ["workloads.api.build.secretArgs.T"])
    }

    @Test("paths that stay inside the project are normalised; any that leave it are refused")
    func paths() {
        #expect(SpecDecoder.pathInsideProject("secrets/db") == "secrets/db")
        #expect(SpecDecoder.pathInsideProject("./a/./b/../c") == "a/c")
        #expect(SpecDecoder.pathInsideProject("a/../../b") == nil)
        #expect(SpecDecoder.pathInsideProject("/etc/shadow") == nil)
        #expect(SpecDecoder.pathInsideProject(".") == nil)
    }
}
