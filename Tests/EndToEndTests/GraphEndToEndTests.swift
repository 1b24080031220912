import Foundation
import Testing
import WBuildTestSupport

/// `wbuild graph` shows the whole graph: tasks, serve tasks and workloads with their edges.
extension WorkloadEndToEndTests {
    @Test func graphShowsWorkloadsAndTasksWithTheirEdges() throws {
        let (dir, project) = try sampleProject("shop")
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let text = try WBuildBinary.run(["graph"], in: dir.path)
        #expect(text.exitCode == 0, "\(text.stderr)")
        #expect(text.stdout.contains("workload:web  [never run]\n    ← image:web, workload:api"), "\(text.stdout)")
        #expect(text.stdout.contains("workload:kv  [never run]\n    ← image:kv\n    → workload:api"), "\(text.stdout)")

        let dot = try WBuildBinary.run(["graph", "--format", "dot"], in: dir.path)
        for edge in ["source:kv\" -> \"image:kv", "image:kv\" -> \"workload:kv", "workload:kv\" -> \"workload:api",
                     "workload:api\" -> \"workload:web", "image:web\" -> \"workload:web"] {
            #expect(dot.stdout.contains("\"\(edge)\";"), "\(edge) missing: \(dot.stdout)")
        }
        #expect(dot.stdout.contains("\"workload:web\" [label=\"workload:web\\nnever run\", shape=component"), "\(dot.stdout)")

        let json = try WBuildBinary.run(["graph", "--format", "json"], in: dir.path)
        let nodes = try #require(json.jsonLines.first?["nodes"] as? [[String: Any]])
        // The router runs first: each routed workload's replicas are sent to it as they become ready.
        #expect(nodes.contains { $0["id"] as? String == "workload:api"
            && ($0["inputs"] as? [String]) == ["image:api", "workload:kv", "router:\(project)"] }, "\(nodes)")
        #expect(dot.stdout.contains("\"router:\(project)\" -> \"workload:web\";"), "\(dot.stdout)")
    }

    @Test func graphShowsServeTasksAndWhatTheyWaitOn() throws {
        let (dir, project) = try sampleProject("site")
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let dot = try WBuildBinary.run(["graph", "--format", "dot"], in: dir.path)
        #expect(dot.exitCode == 0, "\(dot.stderr)")
        #expect(dot.stdout.contains("\"task:pages\" -> \"serve:serve\";"), "\(dot.stdout)")
        #expect(dot.stdout.contains("\"source:pages\" -> \"task:pages\";"), "\(dot.stdout)")
    }
}
