import Foundation
import Testing
import WBuildCore
import WBuildFiles
import WBuildSpec
import WBuildSystem
import WBuildTestSupport
@testable import WBuildWorkloads

/// A distinctive value no test output could contain by chance.
func randomSecret(_ prefix: String = "sekret") -> String {
    prefix + "-" + String(UInt64.random(in: 0...UInt64.max), radix: 36) + String(UInt64.random(in: 0...UInt64.max), radix: 36)
}

@Suite("Secrets: reading, digests, masking")
struct SecretResolverTests {
    @Test("a file's value loses one trailing newline; a variable's is taken as it is")
    func readsFilesAndVariables() throws {
        let project = try TemporaryDirectory()
        defer { project.remove() }
        let fromFile = randomSecret(), fromEnv = randomSecret()
        try project.write("secrets/db", fromFile + "\n")
        let resolver = SecretResolver(projectRoot: project.path, environment: ["DB_USER_TOKEN": fromEnv])
        let resolved = try resolver.resolve([
            SecretSpec(name: "DB_PASSWORD", source: .file("secrets/db"), keyPath: "workloads.api.secretEnv.DB_PASSWORD"),
            SecretSpec(name: "TOKEN", source: .environment("DB_USER_TOKEN"), keyPath: "workloads.api.secretEnv.TOKEN"),
        ])
        #expect(resolved.map(\.name) == ["DB_PASSWORD", "TOKEN"])
        #expect(resolved.map(\.value.revealed) == [fromFile, fromEnv])
        // Whatever prints a value by mistake prints nothing of it.
        for secret in resolved {
            for text in ["\(secret)", String(describing: secret.value), String(reflecting: secret), "\(secret.value)"] {
                #expect(!text.contains(secret.value.revealed))
            }
            #expect(!secret.digest.contains(secret.value.revealed))
        }
    }

    @Test("a missing file, an unset variable and a symlink out of the project are errors at the key path, without the value")
    func failures() throws {
        let project = try TemporaryDirectory()
        defer { project.remove() }
        let outside = try TemporaryDirectory()
        defer { outside.remove() }
        let value = randomSecret()
        let target = try outside.write("db", value)
        try FileManager.default.createDirectory(atPath: project.url("secrets"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: project.url("secrets/link"), withDestinationPath: target)
        let resolver = SecretResolver(projectRoot: project.path, environment: [:])
        func failure(_ source: SecretSource) -> SecretError? {
            do {
                _ = try resolver.resolve([SecretSpec(name: "S", source: source, keyPath: "workloads.api.secretEnv.S")])
                return nil
            } catch {
                return error
            }
        }
        let missing = try #require(failure(.file("secrets/db")))
        #expect(missing.description == "workloads.api.secretEnv.S: the secret file secrets/db does not exist")
        #expect(missing.hint.contains("create secrets/db"))
        let unset = try #require(failure(.environment("WBUILD_TEST_UNSET_SECRET")))
        #expect(unset.description == "workloads.api.secretEnv.S: the variable WBUILD_TEST_UNSET_SECRET is not set in wbuild's environment")
        let escaped = try #require(failure(.file("secrets/link")))
        #expect(escaped.description.contains("leads outside the project"))
        #expect(!escaped.description.contains(value) && !escaped.hint.contains(value))
    }

    @Test("digests change with the value, are keyed per project, and the key is a private file that stays put")
    func keyedDigests() throws {
        let first = try TemporaryDirectory(), second = try TemporaryDirectory()
        defer { first.remove(); second.remove() }
        let spec = [SecretSpec(name: "P", source: .environment("P"), keyPath: "workloads.a.secretEnv.P")]
        func digest(_ root: TemporaryDirectory, _ value: String) throws -> String {
            try SecretResolver(projectRoot: root.path, environment: ["P": value]).resolve(spec)[0].digest
        }
        let a = try digest(first, "hunter2"), again = try digest(first, "hunter2")
        #expect(a == again)
        #expect(try digest(first, "hunter3") != a)
        #expect(try digest(second, "hunter2") != a, "another project's key gives another digest")
        // Not the plain SHA-256 anyone could compute from a guess.
        #expect(a != SHA256.hash(Array("hunter2".utf8)).hexString)
        let keyFile = first.url(".wbuild/" + FingerprintKey.fileName)
        #expect(FileModes.mode(keyFile) == 0o600)
        #expect(FileModes.mode(first.url(".wbuild")) == 0o700)
        #expect(try AtomicFile.read(keyFile)?.count == 32)
    }

    @Test("masking replaces every occurrence of a value, longest first, and leaves very short values alone")
    func masking() {
        let mask = SecretMask([
            ResolvedSecret(name: "A", value: SecretValue("abcd1234"), digest: ""),
            ResolvedSecret(name: "B", value: SecretValue("abcd1234-long"), digest: ""),
            ResolvedSecret(name: "C", value: SecretValue("ab"), digest: ""),
        ])
        #expect(mask.apply("token=abcd1234-long and abcd1234, ab") == "token=(secret) and (secret), ab")
    }

    @Test("a secret reaches the container's environment; the plan's fingerprint changes with it but holds only its digest")
    func planAndBlueprint() throws {
        let project = try TemporaryDirectory()
        defer { project.remove() }
        let value = randomSecret()
        var plan = WorkloadPlan(project: "shop", workload: "api", image: "sha256:abc", environment: ["A=1"])
        let plain = plan.fingerprint()
        let spec = [SecretSpec(name: "DB_PASSWORD", source: .environment("DBP"), keyPath: "workloads.api.secretEnv.DB_PASSWORD")]
        plan.secretEnvironment = try SecretResolver(projectRoot: project.path, environment: ["DBP": value]).resolve(spec)
        let withSecret = plan.fingerprint()
        plan.secretEnvironment = try SecretResolver(projectRoot: project.path, environment: ["DBP": value + "x"]).resolve(spec)
        #expect(Set([plain, withSecret, plan.fingerprint()]).count == 3)
        plan.secretEnvironment = try SecretResolver(projectRoot: project.path, environment: ["DBP": value]).resolve(spec)
        let config = try ContainerBlueprint(plan: plan, fingerprint: withSecret, engineInit: true).replica(0)
        #expect(config.env == ["A=1", "DB_PASSWORD=\(value)"])
        #expect(!(config.labels ?? [:]).values.contains { $0.contains(value) })
        #expect(!"\(plan)".contains(value))
    }
}

@Suite("Secrets: kept out of build contexts")
struct SecretContextTests {
    @Test("a secret file inside a build context is excluded from it, even against a `!` exception")
    func excluded() throws {
        let spec = try ProjectLoader.parse(Array("""
            { name: "p", workloads: { api: { build: { context: "." , secretArgs: { T: { file: "secrets/t" } } },
                                             secretEnv: { D: { file: "api/../secrets/db" }, E: { env: "E" } } } } }
            """.utf8), fileName: "wbuild.json")
        #expect(spec.secretFiles == ["secrets/db", "secrets/t"])
        let rules = try IgnoreRules(patterns: ["*.log", "!secrets"]).excluding(secretFiles: spec.secretFiles, contextPrefix: "")
        #expect(rules.isIgnored("secrets/db") && rules.isIgnored("secrets/t"))
        #expect(!rules.isIgnored("secrets/readme.md") && rules.isIgnored("x.log"))
        let inSubcontext = IgnoreRules.none.excluding(secretFiles: ["api/secret", "other/s"], contextPrefix: "api/")
        #expect(inSubcontext.isIgnored("secret") && !inSubcontext.isIgnored("other/s"))
    }
}
