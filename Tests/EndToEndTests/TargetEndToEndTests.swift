import Foundation
import Testing
import WBuildTestSupport

/// Targets on the command line, one workload at a time: a bare name is the workload with all it
/// needs; `image:kv`, `task:x` name nodes; an unknown name is exit 2 with the closest one.
extension WorkloadEndToEndTests {
    @Test func aBareNameIsTheWorkloadWithWhatItNeeds() throws {
        let (dir, project) = try sampleProject("shop")
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let up = try WBuildBinary.run(["up", "api", "--json"], in: dir.path, timeout: .seconds(300))
        #expect(up.exitCode == 0, "\(up.stdout.suffix(3000)) \(up.stderr)")
        #expect(up.status("workload:api") == "built")
        #expect(up.status("workload:kv") == "built", "api depends on kv")
        #expect(up.nodes["workload:web"] == nil && up.nodes["image:web"] == nil, "\(up.nodes.keys.sorted())")
        let running = DockerCLI.run(["ps", "--format", "{{.Label \"dev.wbuild.workload\"}}", "--filter", "label=dev.wbuild.project=\(project)"]) ?? ""
        #expect(Set(running.split(separator: "\n")) == ["api", "kv"], "\(running)")

        let status = try WBuildBinary.run(["status", "kv"], in: dir.path)
        #expect(status.exitCode == 0)
        #expect(status.stdout.contains("● kv") && !status.stdout.contains("● api"), "\(status.stdout)")

        let image = try WBuildBinary.run(["once", "image:kv", "--json"], in: dir.path)
        #expect(image.exitCode == 0)
        #expect(Set(image.nodes.keys.filter { !$0.hasPrefix("source:") }) == ["image:kv"], "\(image.nodes.keys.sorted())")
        let workloadInOnce = try WBuildBinary.run(["once", "web", "--json"], in: dir.path)
        #expect(Set(workloadInOnce.nodes.keys.filter { !$0.hasPrefix("source:") }) == ["image:web", "image:api", "image:kv"],
                "once of a workload builds the images it needs")
    }

    @Test func anUnknownTargetIsExitTwoWithTheClosestName() throws {
        let (dir, project) = try sampleProject("shop")
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        for command in ["once", "up", "watch", "status", "logs"] {
            let run = try WBuildBinary.run([command, "kvv"], in: dir.path)
            #expect(run.exitCode == 2, "\(command): \(run.stdout) \(run.stderr)")
            #expect(run.stderr.contains("did you mean `kv`?"), "\(command): \(run.stderr)")
            #expect(run.stderr.contains("api, kv, web") || run.stderr.contains("web, api, kv"), "\(command): \(run.stderr)")
        }
        let task = try WBuildBinary.run(["once", "task:nope"], in: dir.path)
        #expect(task.exitCode == 2, "\(task.stderr)")
        #expect(DockerCLI.run(["ps", "-aq", "--filter", "label=dev.wbuild.project=\(project)"]) == "")
    }
}
