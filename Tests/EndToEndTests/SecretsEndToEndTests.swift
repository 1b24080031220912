import Foundation
import Testing
import WBuildTestSupport

/// Secrets in `env`, `build.args`, `secretEnv` and `build.secretArgs`, through every command a
/// user runs (up, watch with a cancelled and a rejected build, status, graph, logs, doctor, a
/// failing once): not one byte of any value in what wbuild prints or keeps in `.wbuild/`.
@Suite struct SecretsEndToEndTests {
    /// A value nothing else could contain: random letters and digits (unchanged by percent- or JSON-encoding).
    static func distinctive(_ label: String) -> String {
        "wbt\(label)" + (0..<3).map { _ in String(UInt64.random(in: 1 << 60...UInt64.max), radix: 36) }.joined()
    }

    struct Secrets {
        let plainEnv = distinctive("plainenv"), plainArg = distinctive("plainarg")
        let fileEnv = distinctive("fileenv"), hostEnv = distinctive("hostenv")
        let fileArg = distinctive("filearg"), hostArg = distinctive("hostarg")
        var all: [String: String] {
            ["env": plainEnv, "build.args": plainArg, "secretEnv file": fileEnv, "secretEnv env": hostEnv,
             "secretArgs file": fileArg, "secretArgs env": hostArg]
        }
        var environment: [String: String] { ["WBT_SECRET_HOST_ENV": hostEnv, "WBT_SECRET_HOST_ARG": hostArg] }
    }

    static func dockerfile(_ tail: String) -> String {
        """
        FROM wbuild-samples/busybox:1
        ARG PLAIN_ARG
        ARG FILE_ARG
        ARG HOST_ARG
        RUN test -n "$PLAIN_ARG" && test -n "$FILE_ARG" && test -n "$HOST_ARG" && echo "build sees token $FILE_ARG"
        COPY site /www
        \(tail)
        """
    }

    func makeProject(_ secrets: Secrets) throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory()
        let project = "wbt-secrets-\(UUID().uuidString.prefix(6).lowercased())"
        try dir.write("secrets/db", secrets.fileEnv + "\n")
        try dir.write("secrets/build-token", secrets.fileArg)
        try dir.write("site/index.html", "hello\n")
        try dir.write("Dockerfile", Self.dockerfile(""))
        try dir.write("wbuild.json", """
        { name: "\(project)",
          workloads: { web: {
            build: { context: ".", args: { PLAIN_ARG: "\(secrets.plainArg)" },
                     secretArgs: { FILE_ARG: { file: "secrets/build-token" }, HOST_ARG: { env: "WBT_SECRET_HOST_ARG" } } },
            entrypoint: ["sh", "-c", "echo web starting with password $DB_PASSWORD; exec httpd -f -p 8080 -h /www"],
            env: { PLAIN_ENV: "\(secrets.plainEnv)" },
            secretEnv: { DB_PASSWORD: { file: "secrets/db" }, API_TOKEN: { env: "WBT_SECRET_HOST_ENV" } },
            ports: [{ name: "http", container: 8080, protocol: "http" }],
            readiness: { http: { path: "/", port: 8080 }, intervalMs: 200 },
            stopGraceMs: 500,
          } },
        }
        """)
        return (dir, project)
    }

    /// Every byte under `root`, file by file (symlinks not followed).
    func filesUnder(_ root: String) -> [(String, Data)] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [(String, Data)] = []
        while let relative = walker.nextObject() as? String {
            let path = root + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let data = FileManager.default.contents(atPath: path) else { continue }
            files.append((relative, data))
        }
        return files
    }

    @Test func noSecretValueIsPrintedOrStoredByAnyCommand() throws {
        let secrets = Secrets()
        let (dir, project) = try makeProject(secrets)
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        var outputs: [(String, String)] = []
        func run(_ arguments: [String]) throws -> WBuildBinary.Run {
            let result = try WBuildBinary.run(arguments, in: dir.path, environment: secrets.environment)
            outputs.append(("wbuild \(arguments.joined(separator: " ")) stdout", result.stdout))
            outputs.append(("wbuild \(arguments.joined(separator: " ")) stderr", result.stderr))
            return result
        }

        let up = try run(["up", "--json"])
        #expect(up.exitCode == 0, "\(up.stdout.suffix(3000)) \(up.stderr)")
        // The secrets did arrive: in the container's environment (as `docker inspect` shows to the docker group).
        let container = try #require(DockerCLI.run(["ps", "-q", "--filter", "label=dev.wbuild.project=\(project)",
                                                    "--filter", "label=dev.wbuild.replica=0"]))
        let env = DockerCLI.run(["inspect", "--format", "{{json .Config.Env}}", container]) ?? ""
        #expect(env.contains("DB_PASSWORD=\(secrets.fileEnv)") && env.contains("API_TOKEN=\(secrets.hostEnv)"))
        #expect(env.contains("PLAIN_ENV=\(secrets.plainEnv)"))
        // A RUN that echoes a secret build arg shows it masked.
        #expect(up.stdout.contains("build sees token (secret)"), "\(up.stdout.suffix(3000))")
        // Nothing wbuild put on the engine carries a secret: labels, image tags, container names.
        let labels = DockerCLI.run(["inspect", "--format", "{{json .Config.Labels}} {{.Name}} {{.Config.Image}}", container]) ?? ""
        for (what, value) in secrets.all { #expect(!labels.contains(value), "\(what) in labels: \(labels)") }

        let cached = try run(["up", "--json"])
        #expect(cached.status("workload:web") == "cached" && cached.status("image:web") == "cached")
        // A changed secret replaces the containers that use it, though nothing else changed.
        let rotated = Self.distinctive("rotated")
        try dir.write("secrets/db", rotated)
        let replaced = try run(["up", "--json"])
        #expect(replaced.exitCode == 0 && replaced.status("workload:web") == "built", "\(replaced.stdout.suffix(2000))")
        #expect(replaced.status("image:web") == "cached")
        let newContainer = DockerCLI.run(["ps", "-q", "--filter", "label=dev.wbuild.project=\(project)",
                                          "--filter", "label=dev.wbuild.replica=0"]) ?? ""
        #expect((DockerCLI.run(["inspect", "--format", "{{json .Config.Env}}", newContainer]) ?? "").contains("DB_PASSWORD=\(rotated)"))
        _ = try run(["up", "-v"])
        _ = try run(["status"])
        _ = try run(["status", "--json"])
        let logs = try run(["logs", "web"])
        #expect(logs.stdout.contains("web starting with password (secret)"), "\(logs.stdout.suffix(1000))")
        _ = try run(["doctor"])
        _ = try run(["doctor", "--json"])

        // Under watch: a slow build cancelled by a newer edit, then a build the engine rejects (HTTP 400).
        let watch = try RunningWBuild(["watch", "--json"], in: dir.path, environment: secrets.environment)
        defer { watch.stop() }
        #expect(watch.waitUntilWatching(timeout: .seconds(60)), "\(watch.stderrText)")
        watch.waitUntilQuiet()
        // Editing a secret file replaces the workload that uses it.
        let rotatedUnderWatch = Self.distinctive("rotatedwatch")
        let replacedBefore = watch.doneCount("workload:web")
        try dir.write("secrets/db", rotatedUnderWatch + "\n")
        #expect(watch.wait(timeout: .seconds(60)) { watch.doneCount("workload:web") > replacedBefore },
                "\(watch.stdoutLines.suffix(20))")
        let watchedContainer = DockerCLI.run(["ps", "-q", "--filter", "label=dev.wbuild.project=\(project)",
                                              "--filter", "label=dev.wbuild.replica=0"]) ?? ""
        #expect((DockerCLI.run(["inspect", "--format", "{{json .Config.Env}}", watchedContainer]) ?? "")
                    .contains("DB_PASSWORD=\(rotatedUnderWatch)"))
        watch.waitUntilQuiet()
        let startsBefore = watch.startReasons("image:web").count
        try dir.write("Dockerfile", Self.dockerfile("RUN sleep 20 && echo slow-\(UUID().uuidString)"))
        #expect(watch.wait(timeout: .seconds(30)) { watch.startReasons("image:web").count > startsBefore })
        #expect(watch.wait(timeout: .seconds(30)) { watch.stdoutLines.contains { $0.contains("sleep 20") } },
                "the slow step started")
        try dir.write("Dockerfile", Self.dockerfile("NOTACMD x"))
        #expect(watch.wait(timeout: .seconds(60)) { watch.doneCount("image:web", status: "failed") >= 1 },
                "\(watch.stdoutLines.suffix(20))")
        #expect(watch.doneCount("image:web", status: "cancelled") >= 1, "the slow build was cancelled: \(watch.stdoutLines.suffix(20))")
        let watchText = watch.stdoutLines.joined(separator: "\n")
        #expect(watchText.contains("POST /build"), "the rejected build names the call: \(watch.stdoutLines.suffix(10))")
        watch.stop()
        outputs.append(("wbuild watch stdout", watch.stdoutLines.joined(separator: "\n")))
        outputs.append(("wbuild watch stderr", watch.stderrText))

        let failedOnce = try run(["once", "--json"])
        #expect(failedOnce.exitCode != 0)
        #expect(failedOnce.stdout.contains("unknown instruction"), "\(failedOnce.stdout.suffix(2000))")
        _ = try run(["once", "-v"])
        _ = try run(["graph"])
        _ = try run(["graph", "--format", "dot"])
        let graph = try run(["graph", "--json"])
        #expect(graph.stdout.contains("image:web"))
        _ = try run(["status"])

        // Every byte wbuild wrote: what it printed, and everything it keeps.
        let stored = filesUnder(dir.url(".wbuild"))
        #expect(!stored.isEmpty)
        let rotations = ["rotated secretEnv file": rotated, "secretEnv file rotated under watch": rotatedUnderWatch]
        for (what, value) in secrets.all.merging(rotations, uniquingKeysWith: { a, _ in a }) {
            for (source, text) in outputs {
                #expect(!text.contains(value), "the \(what) value is in \(source)")
            }
            for (file, data) in stored {
                #expect(data.range(of: Data(value.utf8)) == nil, "the \(what) value is in .wbuild/\(file)")
            }
        }
        #expect(FileModes.notPrivate(under: dir.url(".wbuild")).isEmpty, "\(FileModes.notPrivate(under: dir.url(".wbuild")))")
        _ = try run(["down"])
    }

    @Test func aMissingSecretFailsWithItsKeyPathAndAPrivateStateDirectoryIsRepaired() throws {
        let secrets = Secrets()
        let (dir, project) = try makeProject(secrets)
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        // State from an older version: world-readable.
        try dir.write(".wbuild/state.json", "not a state file")
        #expect(chmod(dir.url(".wbuild"), 0o755) == 0 && chmod(dir.url(".wbuild/state.json"), 0o644) == 0)
        let unset = try WBuildBinary.run(["up"], in: dir.path, environment: ["WBT_SECRET_HOST_ARG": secrets.hostArg])
        #expect(unset.exitCode != 0)
        let text = unset.stdout + unset.stderr
        #expect(text.contains("workloads.web.secretEnv.API_TOKEN: the variable WBT_SECRET_HOST_ENV is not set"), "\(text.suffix(2000))")
        #expect(FileModes.notPrivate(under: dir.url(".wbuild")).isEmpty, "\(FileModes.notPrivate(under: dir.url(".wbuild")))")
        try FileManager.default.removeItem(atPath: dir.url("secrets/build-token"))
        let missing = try WBuildBinary.run(["once"], in: dir.path, environment: secrets.environment)
        #expect(missing.exitCode != 0)
        #expect((missing.stdout + missing.stderr).contains("workloads.web.build.secretArgs.FILE_ARG: the secret file secrets/build-token does not exist"),
                "\((missing.stdout + missing.stderr).suffix(2000))")
        for (_, value) in secrets.all { #expect(!(unset.stdout + unset.stderr + missing.stdout + missing.stderr).contains(value)) }
    }

    @Test func aSecretFileIsNeitherInTheImageNorSyncedByLiveUpdate() throws {
        let value = Self.distinctive("synced"), rotated = Self.distinctive("syncedrotated")
        let dir = try TemporaryDirectory()
        let project = "wbt-secrets-lu-\(UUID().uuidString.prefix(6).lowercased())"
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        try dir.write("secrets/db", value)
        try dir.write("index.html", "one\n")
        try dir.write("Dockerfile", "FROM wbuild-samples/busybox:1\nCOPY . /app\n")
        try dir.write("wbuild.json", """
        { name: "\(project)",
          workloads: { web: {
            build: { context: "." },
            entrypoint: ["httpd", "-f", "-p", "8080", "-h", "/app"],
            secretEnv: { DB_PASSWORD: { file: "secrets/db" } },
            ports: [{ name: "http", container: 8080, protocol: "http" }],
            readiness: { http: { path: "/", port: 8080 }, intervalMs: 200 },
            stopGraceMs: 500,
            liveUpdate: { sync: [{ from: ".", to: "/app" }], restart: "none" },
          } },
        }
        """)
        let watch = try RunningWBuild(["watch", "--json"], in: dir.path)
        defer { watch.stop() }
        #expect(watch.waitUntilWatching(timeout: .seconds(60)), "\(watch.stderrText)")
        #expect(watch.wait(timeout: .seconds(60)) { watch.doneCount("workload:web") >= 1 }, "\(watch.stdoutLines.suffix(20))")
        watch.waitUntilQuiet()
        func container() -> String {
            DockerCLI.run(["ps", "-q", "--filter", "label=dev.wbuild.project=\(project)", "--filter", "label=dev.wbuild.replica=0"]) ?? ""
        }
        func inContainer(_ path: String) -> String? { DockerCLI.run(["exec", container(), "cat", path]) }
        #expect(inContainer("/app/index.html") == "one", "the context is in the image")
        #expect(inContainer("/app/secrets/db") == nil, "the secret file is not in the build context")

        // An edit beside it is synced; the secret file's edit is not, and replaces the container instead.
        try dir.write("index.html", "two\n")
        #expect(watch.wait(timeout: .seconds(30)) { inContainer("/app/index.html") == "two" }, "\(watch.stdoutLines.suffix(20))")
        watch.waitUntilQuiet()
        let before = watch.doneCount("workload:web")
        try dir.write("secrets/db", rotated)
        #expect(watch.wait(timeout: .seconds(60)) { watch.doneCount("workload:web") > before }, "\(watch.stdoutLines.suffix(20))")
        watch.waitUntilQuiet()
        #expect(inContainer("/app/secrets/db") == nil, "live update did not copy the secret file in")
        #expect((DockerCLI.run(["inspect", "--format", "{{json .Config.Env}}", container()]) ?? "").contains("DB_PASSWORD=\(rotated)"))
        watch.stop()
        let printed = watch.stdoutLines.joined(separator: "\n") + watch.stderrText
        for secret in [value, rotated] {
            #expect(!printed.contains(secret))
            for file in filesUnder(dir.url(".wbuild")) { #expect(file.1.range(of: Data(secret.utf8)) == nil, "in .wbuild/\(file.0)") }
        }
    }
}
