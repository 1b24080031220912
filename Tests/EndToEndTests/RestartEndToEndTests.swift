import Foundation
import Testing
import WBuildTestSupport

/// `wbuild restart` and `up --force`: new replicas behind the same URL, or the process only.
extension WorkloadEndToEndTests {
    func replicaIDs(_ project: String, _ workload: String) -> [String] {
        let out = DockerCLI.run(["ps", "-q", "--filter", "label=dev.wbuild.project=\(project)",
                                 "--filter", "label=dev.wbuild.workload=\(workload)", "--filter", "label=dev.wbuild.replica"]) ?? ""
        return out.split(separator: "\n").map(String.init).sorted()
    }

    func kvURL(_ run: WBuildBinary.Run) -> String? {
        (run.nodes["workload:kv"]?["urls"] as? String)?.split(separator: " ").first.map(String.init)
    }

    @Test func upForceAndRestartReplaceTheReplicasBehindTheSameURL() throws {
        let (dir, project) = try sampleProject("shop")
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let up = try WBuildBinary.run(["up", "kv", "--json"], in: dir.path, timeout: .seconds(300))
        #expect(up.exitCode == 0, "\(up.stdout.suffix(2000)) \(up.stderr)")
        let url = try #require(kvURL(up))
        let first = replicaIDs(project, "kv")
        #expect(first.count == 1)

        let forced = try WBuildBinary.run(["up", "--force", "kv", "--json"], in: dir.path, timeout: .seconds(300))
        #expect(forced.exitCode == 0, "\(forced.stdout.suffix(2000)) \(forced.stderr)")
        let second = replicaIDs(project, "kv")
        #expect(second.count == 1 && second != first, "up --force kept the container: \(first) → \(second)")
        #expect(kvURL(forced) == url)

        let restart = try WBuildBinary.run(["restart", "kv", "--json"], in: dir.path, timeout: .seconds(300))
        #expect(restart.exitCode == 0, "\(restart.stdout.suffix(2000)) \(restart.stderr)")
        #expect(restart.nodes["workload:kv"]?["restarted"] as? String == "replicas")
        #expect(restart.status("image:kv") == "cached", "restart rebuilt the image")
        let third = replicaIDs(project, "kv")
        #expect(third.count == 1 && third != second, "restart kept the container")
        #expect(kvURL(restart) == url)
        #expect(DockerCLI.run(["ps", "-aq", "--filter", "label=dev.wbuild.project=\(project)", "--filter", "name=-replaced-"]) == "",
                "the replaced replicas are gone")

        let human = try WBuildBinary.run(["restart", "kv"], in: dir.path, timeout: .seconds(300))
        #expect(human.stdout.contains("kv: new replicas"), "\(human.stdout)")
        let unknown = try WBuildBinary.run(["restart", "kvv"], in: dir.path)
        #expect(unknown.exitCode == 2 && unknown.stderr.contains("did you mean `kv`?"), "\(unknown.stderr)")
    }

    @Test func restartOfALiveUpdatedWorkloadRestartsTheProcessOnly() throws {
        let (dir, project) = try helloProject()
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let up = try WBuildBinary.run(["up", "--json"], in: dir.path, timeout: .seconds(300))
        #expect(up.exitCode == 0, "\(up.stdout.suffix(2000)) \(up.stderr)")
        let url = try #require(self.url(of: up))
        let container = replicaIDs(project, "web")

        let first = try WBuildBinary.run(["restart", "web", "--json"], in: dir.path, timeout: .seconds(120))
        #expect(first.exitCode == 0, "\(first.stdout.suffix(2000)) \(first.stderr)")
        #expect(first.nodes["workload:web"]?["restarted"] as? String == "process")
        let pid = try #require(first.nodes["workload:web"]?["pids"] as? String)
        let second = try WBuildBinary.run(["restart", "web", "--json"], in: dir.path, timeout: .seconds(120))
        #expect(second.nodes["workload:web"]?["pids"] as? String != pid, "the process was not restarted")
        #expect(replicaIDs(project, "web") == container, "the container was replaced")
        #expect(get(url + "/")?.contains("hello") == true)
    }
}

extension WorkloadEndToEndTests {
    @Test func aRestartFromAnotherTerminalWhileWatchRunsIsNotACrash() async throws {
        let (dir, project) = try sampleProject("shop")
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let watch = try RunningWBuild(["watch", "kv", "--json"], in: dir.path)
        defer { watch.stop() }
        #expect(watch.wait(timeout: .seconds(120)) { !watch.events(ofType: "ready").isEmpty }, "\(watch.stdoutLines.suffix(20))")
        let url = try #require(firstURL(in: watch.events(ofType: "ready").first?["detail"] as? String))
        let before = replicaIDs(project, "kv")

        let restart = try WBuildBinary.run(["restart", "kv"], in: dir.path, timeout: .seconds(120))
        #expect(restart.exitCode == 0, "\(restart.stdout) \(restart.stderr)")
        #expect(replicaIDs(project, "kv") != before)
        // The watch adopts the new replica: its front door keeps answering, nothing is restarted.
        #expect(await eventually(within: .seconds(30)) { get(url + "/") != nil }, "the URL stopped answering")
        #expect(get(url + "/") != nil)
        let states = watch.events(ofType: "workload").compactMap { $0["state"] as? String }
        #expect(!states.contains("crash-looping"), "\(watch.stdoutLines.suffix(10))")
        #expect(watch.stop() == 0)
    }
}
