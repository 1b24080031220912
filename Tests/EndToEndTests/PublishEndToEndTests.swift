import Foundation
import Testing
import WBuildTestSupport

/// `wbuild publish` on the real binary, the real engine and Debian's `docker-registry`: what
/// reaches the registry is read back from the registry (`Docker-Content-Digest`), and whether
/// anything was pushed from the engine's own `push` events.
@Suite(.serialized) struct PublishEndToEndTests {
    /// A project with two built workloads, its own name, and a registry of its own.
    struct Fixture {
        let name: String
        let dir: TemporaryDirectory
        let registry: LocalRegistry
        var namespace: String { "\(registry.address)/\(name)" }

        init(_ suffix: String, users: [String: String] = [:], publish: String = "") async throws {
            name = "wbt-publish-\(suffix)"
            dir = try TemporaryDirectory(prefix: "publish")
            registry = try LocalRegistry(directory: try dir.makeDirectory("registry"), users: users)
            guard await registry.waitUntilListening() else { throw FixtureError.registryDidNotStart }
            let publishKey = publish.isEmpty ? "" : "publish: { registry: \"\(registry.address)/\(name)\", \(publish) },"
            _ = try dir.write("app/wbuild.json", """
            { name: "\(name)", \(publishKey)
              workloads: { api: { build: { context: "api" } }, web: { build: { context: "web" } },
                           cache: { image: "wbuild-samples/busybox:1" } } }
            """)
            for workload in ["api", "web"] {
                _ = try dir.write("app/\(workload)/Dockerfile", "FROM wbuild-samples/busybox:1\nCOPY page /page\n")
                _ = try dir.write("app/\(workload)/page", "\(workload) of \(name)\n")
            }
        }

        var project: String { dir.url("app") }

        func publish(_ arguments: [String] = [], environment: [String: String] = [:]) throws -> (run: WBuildBinary.Run, pushes: [String]) {
            let since = Date().timeIntervalSince1970
            let run = try WBuildBinary.run(["publish", "--json"] + arguments, in: project, environment: environment)
            return (run, Self.pushes(to: registry.address, since: since))
        }

        /// The refs the engine pushed to `address` since `since` (its `push` events; the times are
        /// fractional seconds, so one run's pushes are not counted in the next's).
        static func pushes(to address: String, since: Double) -> [String] {
            let until = Date().timeIntervalSince1970 + 0.5
            let lines = DockerCLI.run(["events", "--since", String(format: "%.6f", since), "--until", String(format: "%.6f", until),
                                       "--filter", "type=image",
                                       "--filter", "event=push", "--format", "{{.Actor.ID}}"]) ?? ""
            return lines.split(separator: "\n").map(String.init).filter { $0.hasPrefix(address + "/") }.sorted()
        }

        var imagesFile: [[String: Any]] {
            guard let data = FileManager.default.contents(atPath: project + "/.wbuild/out/images.json"),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [] }
            return object["builds"] as? [[String: Any]] ?? []
        }

        func tearDown() {
            registry.stop()
            DockerCLI.cleanUp(project: name)
            dir.remove()
        }
    }

    enum FixtureError: Error { case registryDidNotStart }

    @Test func theRegistryDecidesWhatIsPushedAndItsDigestsAreTheOnesRecorded() async throws {
        let fixture = try await Fixture("cycle")
        defer { fixture.tearDown() }
        let registryOption = ["--registry", fixture.namespace]

        let first = try fixture.publish(registryOption)
        #expect(first.run.exitCode == 0, "\(first.run.stderr)\(first.run.stdout)")
        #expect(first.run.status("publish:api") == "built" && first.run.status("publish:web") == "built")
        #expect(first.run.nodes["publish:cache"] == nil)  // a ready-made image is not published
        let builds = fixture.imagesFile
        #expect(builds.compactMap { $0["imageName"] as? String } == ["api", "web"])
        for build in builds {
            let name = try #require(build["imageName"] as? String)
            let digest = try #require(build["digest"] as? String)
            let tag = try #require((build["tags"] as? [String])?.first)
            #expect(build["tag"] as? String == "\(fixture.namespace)/\(name):\(tag)@\(digest)")
            #expect(try await fixture.registry.manifestDigest(repository: "\(fixture.name)/\(name)", tag: tag) == digest)
            #expect(first.run.nodes["publish:\(name)"]?["ref"] as? String == build["tag"] as? String)
        }
        #expect(first.pushes.count == 2, "\(first.pushes)")

        let second = try fixture.publish(registryOption)
        #expect(second.run.exitCode == 0, "\(second.run.stderr)")
        #expect(second.run.status("publish:api") == "cached" && second.run.status("publish:web") == "cached")
        #expect(second.pushes.isEmpty, "\(second.pushes)")

        // The registry, not .wbuild/, is the truth: without any state nothing is pushed either.
        try FileManager.default.removeItem(atPath: fixture.project + "/.wbuild")
        let fresh = try fixture.publish(registryOption)
        #expect(fresh.run.exitCode == 0, "\(fresh.run.stderr)")
        #expect(fresh.run.status("publish:api") == "cached" && fresh.run.status("publish:web") == "cached")
        #expect(fresh.pushes.isEmpty, "\(fresh.pushes)")
        #expect(fixture.imagesFile.count == 2)

        // A registry that lost its storage gets the images again.
        try fixture.registry.wipeStorage()
        #expect(try await fixture.registry.manifestDigest(repository: "\(fixture.name)/api", tag: (builds.first?["tags"] as? [String])?.first ?? "") == nil)
        let again = try fixture.publish(registryOption)
        #expect(again.run.exitCode == 0, "\(again.run.stderr)")
        #expect(again.run.status("publish:api") == "built" && again.run.status("publish:web") == "built")
        #expect(again.pushes.count == 2, "\(again.pushes)")
        for build in fixture.imagesFile {
            let name = try #require(build["imageName"] as? String)
            let tag = try #require((build["tags"] as? [String])?.first)
            #expect(try await fixture.registry.manifestDigest(repository: "\(fixture.name)/\(name)", tag: tag) == build["digest"] as? String)
        }
    }

    @Test func aTagThatPointsAtAnotherImageIsAConflictAndStaysAsItWas() async throws {
        let fixture = try await Fixture("conflict", publish: "tag: \"v1\", extraTags: [\"latest\"]")
        defer { fixture.tearDown() }
        let first = try fixture.publish(["api"])
        #expect(first.run.exitCode == 0, "\(first.run.stderr)\(first.run.stdout)")
        #expect(first.pushes == ["\(fixture.namespace)/api:latest", "\(fixture.namespace)/api:v1"])
        let pushed = try await fixture.registry.manifestDigest(repository: "\(fixture.name)/api", tag: "v1")
        let latest = try await fixture.registry.manifestDigest(repository: "\(fixture.name)/api", tag: "latest")
        #expect(pushed != nil && latest == pushed)

        _ = try fixture.dir.write("app/api/page", "another api\n")
        let second = try fixture.publish(["api"])
        #expect(second.run.exitCode == 1)
        #expect(second.run.status("image:api") == "built" && second.run.status("publish:api") == "failed")
        let failure = (second.run.nodes["publish:api"]?["error"] as? String) ?? second.run.stdout
        #expect(failure.contains("\(fixture.namespace)/api:v1 is already in the registry as \(pushed ?? "?")"), "\(failure)")
        #expect(failure.contains("does not overwrite"), "\(failure)")
        #expect(second.pushes.isEmpty, "\(second.pushes)")
        #expect(try await fixture.registry.manifestDigest(repository: "\(fixture.name)/api", tag: "v1") == pushed)
    }

    @Test func aStoppedRegistryIsOneErrorNamingItsAddress() async throws {
        let fixture = try await Fixture("stopped")
        defer { fixture.tearDown() }
        fixture.registry.stop()
        let run = try WBuildBinary.run(["publish", "--registry", fixture.namespace], in: fixture.project)
        #expect(run.exitCode == 1)
        #expect(run.stderr.contains("cannot reach the registry \(fixture.registry.address)"), "\(run.stderr)")
        #expect(run.stderr.contains("hint: start the registry at \(fixture.registry.address)"), "\(run.stderr)")
        #expect(run.stderr.components(separatedBy: "cannot reach").count == 2, "one error, not one per image: \(run.stderr)")
    }

    @Test func loginsAreTheDockerCLIsAndTheirSecretsAreNeverShown() async throws {
        let secret = "s3cret-\(UUID().uuidString.prefix(8))"
        let fixture = try await Fixture("login", users: ["alice": secret])
        defer { fixture.tearDown() }
        let config = try fixture.dir.makeDirectory("docker-config")
        let registryOption = ["--registry", fixture.namespace]

        // No login: the registry refuses, and the error says what to run.
        let anonymous = try fixture.publish(registryOption, environment: ["DOCKER_CONFIG": config])
        #expect(anonymous.run.exitCode == 1)
        #expect(anonymous.run.stdout.contains("docker login \(fixture.registry.address)"), "\(anonymous.run.stdout)")

        // A wrong password from config.json: refused, named, and the password is not printed.
        let wrong = "wrong-\(UUID().uuidString.prefix(8))"
        let encoded = Data("alice:\(wrong)".utf8).base64EncodedString()
        _ = try fixture.dir.write("docker-config/config.json", #"{"auths":{"http://\#(fixture.registry.address)":{"auth":"\#(encoded)"}}}"#)
        let refused = try fixture.publish(registryOption, environment: ["DOCKER_CONFIG": config])
        #expect(refused.run.exitCode == 1)
        #expect(refused.run.stdout.contains("refused"), "\(refused.run.stdout)")
        #expect(refused.run.stdout.contains("alice"), "\(refused.run.stdout)")
        #expect(refused.run.stdout.contains("docker login \(fixture.registry.address)"), "\(refused.run.stdout)")
        #expect(!(refused.run.stdout + refused.run.stderr).contains(wrong) && !(refused.run.stdout + refused.run.stderr).contains(encoded))
        #expect(refused.pushes.isEmpty, "\(refused.pushes)")

        // A credential helper on PATH: used, and its secret appears nowhere.
        let bin = try fixture.dir.makeDirectory("bin")
        _ = try fixture.dir.write("bin/docker-credential-wbtest", """
        #!/bin/sh
        [ "$1" = get ] || exit 1
        read server
        printf '{"ServerURL":"%s","Username":"alice","Secret":"\(secret)"}\\n' "$server"
        """)
        chmod(bin + "/docker-credential-wbtest", 0o755)
        _ = try fixture.dir.write("docker-config/config.json", #"{"credHelpers":{"\#(fixture.registry.address)":"wbtest"}}"#)
        let environment = ["DOCKER_CONFIG": config, "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
        let helped = try fixture.publish(registryOption, environment: environment)
        #expect(helped.run.exitCode == 0, "\(helped.run.stderr)\(helped.run.stdout)")
        #expect(helped.pushes.count == 2, "\(helped.pushes)")
        for build in fixture.imagesFile {
            let name = try #require(build["imageName"] as? String)
            let tag = try #require((build["tags"] as? [String])?.first)
            #expect(try await fixture.registry.manifestDigest(repository: "\(fixture.name)/\(name)", tag: tag) == build["digest"] as? String)
        }
        let again = try fixture.publish(registryOption + ["-v"], environment: environment)
        #expect(again.run.exitCode == 0 && again.pushes.isEmpty, "\(again.run.stderr)")
        var everything = helped.run.stdout + helped.run.stderr + again.run.stdout + again.run.stderr
        for file in ["state.json", "out/images.json"] {
            everything += (try? String(contentsOfFile: fixture.project + "/.wbuild/" + file, encoding: .utf8)) ?? ""
        }
        #expect(!everything.contains(secret))
    }

    @Test func doctorChecksTheRegistryAndTheLoginAsPublishWouldUseThem() async throws {
        let fixture = try await Fixture("doctor", users: ["alice": "right-password"], publish: "tag: \"fingerprint\"")
        defer { fixture.tearDown() }
        let config = try fixture.dir.makeDirectory("docker-config")
        func checks(_ run: WBuildBinary.Run) -> [String: [String: Any]] {
            Dictionary(run.jsonLines.compactMap { line in (line["name"] as? String).map { ($0, line) } }, uniquingKeysWith: { $1 })
        }
        let none = try WBuildBinary.run(["doctor", "--json"], in: fixture.project, environment: ["DOCKER_CONFIG": config])
        #expect(none.exitCode == 3)
        #expect(checks(none)["registry"]?["outcome"] as? String == "ok")
        #expect(checks(none)["registry login"]?["outcome"] as? String == "failed")
        #expect((checks(none)["registry login"]?["fix"] as? String)?.contains("docker login \(fixture.registry.address)") == true)

        let encoded = Data("alice:right-password".utf8).base64EncodedString()
        _ = try fixture.dir.write("docker-config/config.json", #"{"auths":{"\#(fixture.registry.address)":{"auth":"\#(encoded)"}}}"#)
        let good = try WBuildBinary.run(["doctor", "--json"], in: fixture.project, environment: ["DOCKER_CONFIG": config])
        #expect(checks(good)["registry login"]?["outcome"] as? String == "ok", "\(good.stdout)")
        #expect((checks(good)["registry login"]?["detail"] as? String)?.contains("alice") == true)
        #expect(!good.stdout.contains("right-password") && !good.stdout.contains(encoded))

        fixture.registry.stop()
        let down = try WBuildBinary.run(["doctor", "--json"], in: fixture.project, environment: ["DOCKER_CONFIG": config])
        #expect(down.exitCode == 3)
        #expect(checks(down)["registry"]?["outcome"] as? String == "failed")
        #expect((checks(down)["registry"]?["detail"] as? String)?.contains("cannot be reached") == true)
    }
}
