import Foundation
import Testing
import WBuildTestSupport

/// Image nodes against the real engine: builds that skip, rebuild for the right reasons, and fail clearly.
@Suite struct ImageEndToEndTests {
    /// A project `name` with workload `api` built from `api/` on the local busybox base.
    func makeProject(_ name: String, dockerfile: String? = nil, workload: String? = nil) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        try dir.write("wbuild.json", """
        { name: "\(name)", images: { keep: 2 }, workloads: {
            \(workload ?? #"api: { build: { context: "api", args: { MODE: "dev" } } }"#)
        } }
        """)
        try dir.write("api/Dockerfile", dockerfile ?? """
        FROM wbuild-samples/busybox:1
        ARG MODE
        COPY src /app
        RUN echo "mode=$MODE" > /app/mode
        """)
        try dir.write("api/src/index.html", "hello\n")
        try dir.write("api/src/secret.txt", "secret\n")
        try dir.write("api/.dockerignore", "src/secret.txt\n")
        return dir
    }

    func once(_ dir: TemporaryDirectory, _ extra: [String] = []) throws -> WBuildBinary.Run {
        try WBuildBinary.run(["once", "--json"] + extra, in: dir.path)
    }

    /// Runs `cat PATH` in a container of `image`.
    func read(_ path: String, in image: String) -> String? {
        DockerCLI.run(["run", "--rm", image, "cat", path])
    }

    @Test func secondOnceSendsNoBuild() throws {
        let project = "wbt-img-skip-\(UUID().uuidString.prefix(6).lowercased())"
        let dir = try makeProject(project)
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let first = try once(dir)
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(first.status("image:api") == "built")
        let image = try #require(first.nodes["image:api"]?["image"] as? String)
        #expect(image.hasPrefix("wbuild/\(project)-api:"))
        #expect(read("/app/mode", in: image) == "mode=dev")
        #expect(read("/app/index.html", in: image) == "hello")
        #expect(read("/app/secret.txt", in: image) == nil, ".dockerignore was not applied")

        let second = try once(dir)
        #expect(second.status("image:api") == "cached")
        #expect(!second.jsonLines.contains { $0["type"] as? String == "log" }, "a build was sent")
        #expect(DockerCLI.images(project: project).count == 1)

        // With wbuild's memory gone, the tag in the engine is enough to skip the build.
        try FileManager.default.removeItem(atPath: dir.url(".wbuild"))
        let fresh = try once(dir)
        #expect(fresh.status("image:api") == "cached")
        #expect((fresh.nodes["image:api"]?["reason"] as? String)?.contains("already in the engine") == true)
    }

    @Test func contextEditsRebuildButIgnoredEditsAndTouchesDoNot() throws {
        let project = "wbt-img-edit-\(UUID().uuidString.prefix(6).lowercased())"
        let dir = try makeProject(project)
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        _ = try once(dir)
        try dir.write("api/src/secret.txt", "still ignored\n")
        #expect(try once(dir).status("image:api") == "cached")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(30)], ofItemAtPath: dir.url("api/src/index.html"))
        #expect(try once(dir).status("image:api") == "cached")
        try dir.write("api/src/index.html", "changed\n")
        let edited = try once(dir)
        #expect(edited.status("image:api") == "built")
        #expect(edited.nodes["image:api"]?["reason"] as? String == "inputs changed: api/src/index.html")
        let image = try #require(edited.nodes["image:api"]?["image"] as? String)
        #expect(read("/app/index.html", in: image) == "changed")
    }

    @Test func changingABuildArgRebuilds() throws {
        let project = "wbt-img-arg-\(UUID().uuidString.prefix(6).lowercased())"
        let dir = try makeProject(project)
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        _ = try once(dir)
        let spec = try dir.read("wbuild.json").replacingOccurrences(of: "MODE: \"dev\"", with: "MODE: \"prod\"")
        try dir.write("wbuild.json", spec)
        let run = try once(dir)
        #expect(run.status("image:api") == "built")
        #expect(run.nodes["image:api"]?["reason"] as? String == "settings changed")
        let image = try #require(run.nodes["image:api"]?["image"] as? String)
        #expect(read("/app/mode", in: image) == "mode=prod")
    }

    @Test func aFailingRunShowsItsOutputAndExitCode() throws {
        let project = "wbt-img-fail-\(UUID().uuidString.prefix(6).lowercased())"
        let dir = try makeProject(project, dockerfile: """
        FROM wbuild-samples/busybox:1
        RUN echo "about to fail" && exit 3
        """)
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let run = try once(dir)
        #expect(run.exitCode == 1)
        #expect(run.status("image:api") == "failed")
        let error = run.nodes["image:api"]?["error"] as? String ?? ""
        #expect(error.contains("exit code 3"), "\(error)")
        #expect(error.contains("RUN echo"), "\(error)")
        #expect((run.nodes["image:api"]?["tail"] as? [String])?.contains("about to fail") == true)
    }

    @Test func aMissingBaseImageSaysWhichAndWhatToDo() throws {
        let project = "wbt-img-base-\(UUID().uuidString.prefix(6).lowercased())"
        let dir = try makeProject(project, dockerfile: "FROM wbuild-samples/does-not-exist:1\n")
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let run = try once(dir)
        #expect(run.exitCode == 1)
        let text = "\(run.nodes["image:api"]?["error"] ?? "") \(run.nodes["image:api"]?["hint"] ?? "") \(run.nodes["image:api"]?["tail"] ?? "")"
        #expect(text.contains("wbuild-samples/does-not-exist:1"), "\(text)")
    }

    @Test func anUnreachableEngineIsExitThreeWithWhatToDo() throws {
        let project = "wbt-img-none-\(UUID().uuidString.prefix(6).lowercased())"
        let dir = try makeProject(project)
        defer { dir.remove() }
        let run = try WBuildBinary.run(["once"], in: dir.path, environment: ["DOCKER_HOST": "unix:///nonexistent/docker.sock"])
        #expect(run.exitCode == 3)
        #expect(run.stderr.contains("/nonexistent/docker.sock"))
        #expect(run.stderr.contains("apt-get install docker.io"))
        #expect(run.stderr.contains("DOCKER_HOST"))
    }

    @Test func aDockerfileOutsideTheContextBuildsAndStaysOutOfIt() throws {
        let project = "wbt-img-out-\(UUID().uuidString.prefix(6).lowercased())"
        let dir = try makeProject(project, workload: #"api: { build: { context: "api/src", dockerfile: "docker/api.Dockerfile" } }"#)
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        try dir.write("docker/api.Dockerfile", "FROM wbuild-samples/busybox:1\nCOPY . /ctx\n")
        let run = try once(dir)
        #expect(run.exitCode == 0, "\(run.stdout)")
        let image = try #require(run.nodes["image:api"]?["image"] as? String)
        let listing = DockerCLI.run(["run", "--rm", image, "ls", "-a", "/ctx"]) ?? ""
        #expect(listing.split(separator: "\n").sorted() == [".", "..", "index.html", "secret.txt"], "\(listing)")
        // Editing the outside Dockerfile rebuilds.
        try dir.write("docker/api.Dockerfile", "FROM wbuild-samples/busybox:1\nCOPY . /other\n")
        #expect(try once(dir).status("image:api") == "built")
    }

    @Test func longPathsAndSymlinksOutsideTheContextAreHandled() throws {
        let project = "wbt-img-path-\(UUID().uuidString.prefix(6).lowercased())"
        let dir = try makeProject(project, dockerfile: "FROM wbuild-samples/busybox:1\nCOPY src /app\n")
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let deep = (0..<6).map { "directory-with-a-long-name-\($0)" }.joined(separator: "/")
        let longPath = "api/src/\(deep)/file-\(String(repeating: "x", count: 60)).txt"
        #expect(longPath.count > 250)
        try dir.write(longPath, "deep\n")
        try dir.write("outside.txt", "outside the context\n")
        try FileManager.default.createSymbolicLink(atPath: dir.url("api/src/link"), withDestinationPath: "../../outside.txt")
        let run = try once(dir)
        #expect(run.exitCode == 0, "\(run.stdout) \(run.stderr)")
        let image = try #require(run.nodes["image:api"]?["image"] as? String)
        #expect(read("/app/" + String(longPath.dropFirst("api/src/".count)), in: image) == "deep")
        // The link travels as a link (its target is not in the image), never as the outside file.
        #expect(DockerCLI.run(["run", "--rm", image, "readlink", "/app/link"]) == "../../outside.txt")
        #expect(read("/app/link", in: image) == nil)
    }

    @Test func pulledImagesAreUsedWhenPresentAndMissingOnesFailClearly() throws {
        let project = "wbt-img-pull-\(UUID().uuidString.prefix(6).lowercased())"
        let dir = try makeProject(project, workload: #"base: { image: "wbuild-samples/busybox:1" }, gone: { image: "example.invalid/nothing/here:1" }"#)
        defer { dir.remove() }
        let run = try once(dir)
        #expect(run.exitCode == 1)
        #expect(run.status("image:base") == "cached")
        #expect(run.status("image:gone") == "failed")
        let error = "\(run.nodes["image:gone"]?["error"] ?? "") \(run.nodes["image:gone"]?["hint"] ?? "")"
        #expect(error.contains("example.invalid/nothing/here:1"), "\(error)")
    }

    @Test func oldImagesArePrunedKeepingTheNewest() throws {
        let project = "wbt-img-prune-\(UUID().uuidString.prefix(6).lowercased())"
        let dir = try makeProject(project)
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        var tags: [String] = []
        for version in 1...3 {
            try dir.write("api/src/index.html", "v\(version)\n")
            let run = try once(dir)
            tags.append(try #require(run.nodes["image:api"]?["image"] as? String, "\(run.nodes["image:api"] ?? [:]) \(run.stderr)"))
        }
        #expect(DockerCLI.images(project: project).count == 2)  // images.keep: 2
        #expect(DockerCLI.run(["image", "inspect", tags[0]]) == nil)
        #expect(DockerCLI.run(["image", "inspect", tags[2]]) != nil)
        // The shared base image is never touched.
        #expect(DockerCLI.run(["image", "inspect", "wbuild-samples/busybox:1"]) != nil)
    }
}

extension ImageEndToEndTests {
    /// `wbuild watch --json` in `dir`, once its first build of image:api is done.
    func watchingFirstBuild(_ dir: TemporaryDirectory) throws -> RunningWBuild {
        let watch = try RunningWBuild(["watch", "--json"], in: dir.path)
        #expect(watch.waitUntilWatching(), "\(watch.stderrText)")
        #expect(watch.wait(timeout: .seconds(60)) { watch.doneCount("image:api") == 1 })
        return watch
    }

    @Test func watchRebuildsAnImageWhenItsContextChanges() throws {
        let project = "wbt-img-watch-\(UUID().uuidString.prefix(6).lowercased())"
        let dir = try makeProject(project)
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let watch = try watchingFirstBuild(dir)
        defer { watch.stop() }
        try dir.write("api/src/index.html", "edited while watching\n")
        #expect(watch.wait(timeout: .seconds(60)) { watch.doneCount("image:api") == 2 })
        #expect(watch.startReasons("image:api").last == "inputs changed: api/src/index.html")
        // Un-ignoring a file through .dockerignore reshapes the context and rebuilds.
        try dir.write("api/.dockerignore", "# nothing ignored now\n")
        #expect(watch.wait(timeout: .seconds(60)) { watch.doneCount("image:api") == 3 }, "\(watch.stdoutLines.suffix(10))")
        let images = watch.events.filter { $0["type"] as? String == "node.done" && $0["id"] as? String == "image:api" }
        let image = try #require(images.last?["image"] as? String)
        #expect(read("/app/secret.txt", in: image) == "secret")
    }
}

extension ImageEndToEndTests {
    /// `docker build` sends editor temporaries in a context; under watch they trigger nothing on
    /// their own, but the next build has them, so the image equals what docker would make.
    @Test func underWatchAnEditorTemporaryTriggersNothingButTheNextBuildHasIt() throws {
        let project = "wbt-img-temp-\(UUID().uuidString.prefix(6).lowercased())"
        let dir = try makeProject(project)
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let watch = try watchingFirstBuild(dir)
        defer { watch.stop() }
        try dir.write("api/src/notes~", "a backup\n")
        try dir.write("api/src/index.html", "edited while watching\n")
        #expect(watch.wait(timeout: .seconds(60)) { watch.doneCount("image:api") == 2 }, "\(watch.stdoutLines.suffix(10))")
        watch.waitUntilQuiet()
        #expect(watch.doneCount("image:api") == 2, "the backup file started a build of its own")
        #expect(watch.startReasons("image:api").allSatisfy { !$0.hasSuffix("notes~") || $0.contains("index.html") },
                "\(watch.startReasons("image:api"))")
        let images = watch.events.filter { $0["type"] as? String == "node.done" && $0["id"] as? String == "image:api" }
        let image = try #require(images.last?["image"] as? String)
        #expect(read("/app/notes~", in: image) == "a backup")
    }
}
