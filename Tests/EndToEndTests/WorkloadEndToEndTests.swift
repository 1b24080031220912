import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import WBuildTestSupport

/// `up`, `status`, `logs`, `down` and `watch` with containers, as a user runs them: the built
/// binary on a copy of a sample, the real engine, HTTP from the host.
@Suite struct WorkloadEndToEndTests {
    /// A copy of Samples/hello under a unique project name.
    func helloProject() throws -> (TemporaryDirectory, String) { try sampleProject("hello") }

    func get(_ url: String) -> String? {
        guard let url = URL(string: url) else { return nil }
        let done = DispatchSemaphore(value: 0)
        // Written by the callback before it signals, read only after the wait: ordered by the semaphore.
        nonisolated(unsafe) var body: String?
        let task = URLSession.shared.dataTask(with: url) { data, response, _ in
            if let data, (response as? HTTPURLResponse)?.statusCode == 200 { body = String(decoding: data, as: UTF8.self) }
            done.signal()
        }
        task.resume()
        _ = done.wait(timeout: .now() + 5)
        return body
    }

    /// The first `http://127.0.0.1:PORT` in a `ready` event's detail.
    func firstURL(in text: String?) -> String? {
        guard let text, let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) else { return nil }
        return String(text[range])
    }

    func url(of run: WBuildBinary.Run) -> String? {
        (run.nodes["workload:web"]?["urls"] as? String)?.split(separator: " ").first.map(String.init)
    }

    @Test func upServesOnLoopbackAdoptsOnTheSecondRunAndDownLeavesNothing() throws {
        let (dir, project) = try helloProject()
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let up = try WBuildBinary.run(["up", "--json"], in: dir.path)
        #expect(up.exitCode == 0, "\(up.stdout.suffix(2000)) \(up.stderr)")
        let address = try #require(url(of: up))
        #expect(address.hasPrefix("http://127.0.0.1:"))
        #expect(get(address)?.contains("Hello from wbuild") == true)
        let containers = DockerCLI.run(["ps", "-q", "--filter", "label=dev.wbuild.project=\(project)"])
        // The replica and the workload's front door: every port of each on loopback.
        let ids = (containers ?? "").split(separator: "\n").map(String.init)
        #expect(ids.count == 2, "\(ids)")
        let published = ids.flatMap { (DockerCLI.run(["port", $0]) ?? "").split(separator: "\n") }
        #expect(published.contains { $0.hasPrefix("8080/tcp -> 127.0.0.1:\(address.split(separator: ":").last ?? "")") },
                "the URL is a published port: \(published)")
        #expect(published.allSatisfy { $0.contains("-> 127.0.0.1:") }, "every port on loopback only: \(published)")

        let again = try WBuildBinary.run(["up", "--json"], in: dir.path)
        #expect(again.exitCode == 0)
        #expect(again.status("workload:web") == "cached")
        #expect(DockerCLI.run(["ps", "-q", "--filter", "label=dev.wbuild.project=\(project)"]) == containers)

        let status = try WBuildBinary.run(["status", "--json"], in: dir.path)
        let web = try #require(status.jsonLines.first)
        #expect(web["state"] as? String == "ready")
        #expect((web["urls"] as? [String])?.first == address)

        let down = try WBuildBinary.run(["down"], in: dir.path)
        #expect(down.exitCode == 0)
        #expect(DockerCLI.run(["ps", "-aq", "--filter", "label=dev.wbuild.project=\(project)"]) == "")
        #expect(DockerCLI.run(["network", "ls", "-q", "--filter", "label=dev.wbuild.project=\(project)"]) == "")
        let idle = try WBuildBinary.run(["down"], in: dir.path)
        #expect(idle.exitCode == 0)
    }

    @Test func upFailsWithTheLastLogLinesWhenAWorkloadNeverBecomesReady() throws {
        let dir = try TemporaryDirectory()
        let project = "wbt-never-\(UUID().uuidString.prefix(6).lowercased())"
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        try dir.write("wbuild.json", """
        { name: "\(project)", workloads: { web: {
            image: "wbuild-samples/busybox:1",
            entrypoint: ["sh", "-c", "echo starting up; echo no server here >&2; sleep 300"],
            ports: [{ container: 8080, protocol: "http" }],
            readiness: { http: { path: "/", port: 8080 }, intervalMs: 200 },
        } } }
        """)
        let up = try WBuildBinary.run(["up", "--timeout", "3", "--json"], in: dir.path)
        #expect(up.exitCode == 1)
        #expect(up.status("workload:web") == "failed")
        let details = "\(up.nodes["workload:web"]?["error"] ?? "") \(up.nodes["workload:web"]?["tail"] ?? "")"
        #expect(details.contains("no server here"), "\(details)")
    }

    @Test func watchLiveUpdatesWithoutRebuildingAndRemovesWhatItStarted() throws {
        let (dir, project) = try helloProject()
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let watch = try RunningWBuild(["watch", "--json"], in: dir.path)
        defer { watch.stop() }
        #expect(watch.waitUntilWatching(), "\(watch.stderrText)")
        #expect(watch.wait(timeout: .seconds(90)) { !watch.events(ofType: "ready").isEmpty }, "\(watch.stdoutLines.suffix(20))")
        let address = try #require(firstURL(in: watch.events(ofType: "ready").first?["detail"] as? String))
        let containerBefore = DockerCLI.run(["ps", "-q", "--filter", "label=dev.wbuild.project=\(project)"])

        // Edit, new file, delete: each arrives in the running container.
        try dir.write("site/index.html", "<h1>edited live</h1>\n")
        #expect(watch.wait { get(address + "/index.html")?.contains("edited live") == true })
        try dir.write("site/new.html", "brand new\n")
        #expect(watch.wait { get(address + "/new.html")?.contains("brand new") == true })
        try FileManager.default.removeItem(atPath: dir.url("site/new.html"))
        #expect(watch.wait { get(address + "/new.html") == nil })
        #expect(watch.wait { watch.events(ofType: "liveUpdate").count >= 3 })
        let updates = watch.events(ofType: "liveUpdate")
        #expect((updates.first?["phases"] as? [String: Int])?["sent"] != nil)
        // No rebuild, no new container.
        #expect(watch.doneCount("image:web") <= 1)
        #expect(watch.doneCount("workload:web") == 1)
        #expect(DockerCLI.run(["ps", "-q", "--filter", "label=dev.wbuild.project=\(project)"]) == containerBefore)

        // A change no sync rule covers rebuilds the image and replaces the container, saying why.
        try dir.write("Dockerfile", try dir.read("Dockerfile") + "\n# a comment\n")
        #expect(watch.wait(timeout: .seconds(90)) { watch.doneCount("workload:web") == 2 }, "\(watch.stdoutLines.suffix(20))")
        #expect(watch.events(ofType: "warning").contains { ($0["message"] as? String)?.contains("rebuilding instead of a live update") == true })
        let newAddress = try #require(firstURL(in: watch.events(ofType: "ready").last?["detail"] as? String))
        #expect(newAddress == address, "the workload's URL stays across the replacement")
        // The replaced container still has the live-updated file (replayed or rebuilt in).
        #expect(watch.wait { get(newAddress + "/index.html")?.contains("edited live") == true })

        #expect(watch.stop() == 0)
        #expect(DockerCLI.run(["ps", "-aq", "--filter", "label=dev.wbuild.project=\(project)"]) == "")
    }

    @Test func theTerminalSaysWhatChangedAndHowLongTheBuildAndTheSwapTook() throws {
        let (dir, project) = try helloProject()
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let watch = try RunningWBuild(["watch"], in: dir.path)
        defer { watch.stop() }
        #expect(watch.wait(timeout: .seconds(90)) { watch.stdoutLines.contains { $0.contains("● web ready") } },
                "\(watch.stdoutLines.suffix(20)) \(watch.stderrText)")
        #expect(watch.wait { watch.stdoutLines.contains { $0.contains("watching") } })
        try dir.write("Dockerfile", try dir.read("Dockerfile") + "\n# a comment\n")
        let summary = #/Dockerfile changed → image:web [0-9.]+ m?s, workload:web [0-9.]+ m?s \([0-9.]+ m?s\)/#
        #expect(watch.wait(timeout: .seconds(90)) { watch.stdoutLines.contains { $0.contains(summary) } },
                "\(watch.stdoutLines.suffix(20))")
        #expect(watch.stop() == 0)
        // And why the workload went away when the watch ended.
        #expect(watch.stdoutLines.contains { $0.contains("web stopped  removed: the watch that started it stopped") },
                "\(watch.stdoutLines.suffix(5))")
    }

    @Test func onceAfterALiveUpdateRebuildsTheImage() throws {
        let (dir, project) = try helloProject()
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let watch = try RunningWBuild(["watch", "--json"], in: dir.path)
        #expect(watch.waitUntilWatching())
        #expect(watch.wait(timeout: .seconds(90)) { !watch.events(ofType: "ready").isEmpty })
        try dir.write("site/index.html", "<h1>synced, not built</h1>\n")
        #expect(watch.wait { !watch.events(ofType: "liveUpdate").isEmpty })
        #expect(watch.stop() == 0)
        let once = try WBuildBinary.run(["once", "--json"], in: dir.path)
        #expect(once.status("image:web") == "built")
        #expect(once.nodes["image:web"]?["reason"] as? String == "inputs changed: site/index.html")
    }
}

extension WorkloadEndToEndTests {
    /// A copy of a sample under a unique project name.
    func sampleProject(_ sample: String) throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory()
        let project = "wbt-\(sample)-\(UUID().uuidString.prefix(6).lowercased())"
        let root = WBuildBinary.packageRoot + "/Samples/" + sample
        for item in try FileManager.default.contentsOfDirectory(atPath: root) where item != ".wbuild" {
            try FileManager.default.copyItem(atPath: root + "/" + item, toPath: dir.url(item))
        }
        let spec = try dir.read("wbuild.json").replacingOccurrences(of: "name: \"\(sample)\"", with: "name: \"\(project)\"")
        try dir.write("wbuild.json", spec)
        return (dir, project)
    }

    @Test func aProcessRestartOnARealRuntimeKeepsTheContainer() throws {
        let (dir, project) = try sampleProject("pyapp")
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let watch = try RunningWBuild(["watch", "--json"], in: dir.path)
        defer { watch.stop() }
        #expect(watch.waitUntilWatching())
        #expect(watch.wait(timeout: .seconds(120)) { !watch.events(ofType: "ready").isEmpty }, "\(watch.stdoutLines.suffix(20))")
        let address = try #require(firstURL(in: watch.events(ofType: "ready").first?["detail"] as? String))
        let before = try #require(get(address + "/"))
        #expect(before.hasPrefix("Hello from Python"))
        let container = DockerCLI.run(["ps", "-q", "--filter", "label=dev.wbuild.project=\(project)"])

        try dir.write("app/greeting.py", "GREETING = \"Hello, restarted\"\n")
        #expect(watch.wait { get(address + "/")?.hasPrefix("Hello, restarted") == true })
        let after = try #require(get(address + "/"))
        #expect(after.split(separator: " ").last != before.split(separator: " ").last, "the pid should change: \(before) → \(after)")
        #expect(DockerCLI.run(["ps", "-q", "--filter", "label=dev.wbuild.project=\(project)"]) == container)
        let update = try #require(watch.events(ofType: "liveUpdate").last)
        #expect((update["phases"] as? [String: Int])?["restarted"] != nil)

        // fallBackOn: a rebuild and a new container, and the reason is given.
        try dir.write("requirements.txt", "# changed\n")
        #expect(watch.wait(timeout: .seconds(120)) { watch.doneCount("workload:app") == 2 }, "\(watch.stdoutLines.suffix(20))")
        #expect(watch.events(ofType: "warning").contains { ($0["message"] as? String)?.contains("fallBackOn") == true })
        #expect(DockerCLI.run(["ps", "-q", "--filter", "label=dev.wbuild.project=\(project)"]) != container)
    }
}

extension WorkloadEndToEndTests {
    @Test func shopWorkloadsFindEachOtherAndDownRemovesTheirVolumesOnRequest() throws {
        let (dir, project) = try sampleProject("shop")
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let up = try WBuildBinary.run(["up", "--json"], in: dir.path, timeout: .seconds(300))
        #expect(up.exitCode == 0, "\(up.stdout.suffix(3000)) \(up.stderr)")
        let web = try #require(url(of: up))
        // web → api (through ${api.url}) → kv (through ${kv.host}:${kv.port}): the visit count grows.
        let first = get(web + "/cgi-bin/api") ?? ""
        let second = get(web + "/cgi-bin/api") ?? ""
        #expect(first.contains("visits") && second.contains("visits") && first != second, "\(first) / \(second)")
        #expect(DockerCLI.run(["volume", "ls", "-q", "--filter", "label=dev.wbuild.project=\(project)"]) == "wbuild-\(project)-data")

        #expect(try WBuildBinary.run(["down"], in: dir.path).exitCode == 0)
        #expect(DockerCLI.run(["volume", "ls", "-q", "--filter", "label=dev.wbuild.project=\(project)"]) == "wbuild-\(project)-data",
                "a plain down keeps named volumes")
        #expect(try WBuildBinary.run(["down", "--volumes"], in: dir.path).exitCode == 0)
        #expect(DockerCLI.run(["volume", "ls", "-q", "--filter", "name=wbuild-\(project)-data"]) == "")
    }
}
