import WBuildTestSupport
import Foundation
import Testing
import WBuildCore
import WBuildDocker
import WBuildSpec
@testable import WBuildWorkloads

@Suite("Samples/hello and Samples/shop load, plan and run")
struct SamplesTests {
    /// `Samples/` of this repository.
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Samples").path

    @Test(arguments: ["hello", "shop"])
    func theSampleLoadsAndEveryWorkloadPlans(_ sample: String) throws {
        let root = Self.samples + "/" + sample
        let project = try ProjectLoader.load(path: root + "/wbuild.json")
        #expect(project.name == sample)
        let references = Dictionary(uniqueKeysWithValues: project.workloads.map { ($0.name, "wbuild/\(sample)-\($0.name):test") })
        for workload in project.workloads {
            let plan = try WorkloadPlan.make(spec: workload, project: project, imageReferences: references, projectRoot: root)
            #expect(plan.readiness != nil, "\(workload.name) has a readiness probe")
            #expect(plan.ports.allSatisfy { $0.hostIP == "127.0.0.1" })
        }
    }

    @Test func helloServesItsSite() async throws {
        try await RuntimeHarness.with { harness in
            try await Self.withSampleImages("hello", harness: harness) { project, references in
                let spec = try #require(project.workload(named: "web"))
                let plan = try WorkloadPlan.make(spec: spec, project: project, imageReferences: references,
                                                 projectRoot: Self.samples + "/hello")
                let state = try await harness.runtime.up(plan, fingerprint: plan.fingerprint(), timeout: .seconds(30))
                let url = try #require(state.urls.first)
                #expect(await httpGet(url)?.body.contains("Hello from wbuild") == true)
            }
        }
    }

    @Test func shopsWorkloadsFindEachOtherThroughBindings() async throws {
        try await RuntimeHarness.with { harness in
            try await Self.withSampleImages("shop", harness: harness) { project, references in
                var states: [String: WorkloadState] = [:]
                for name in ["kv", "api", "web"] {
                    let spec = try #require(project.workload(named: name))
                    let plan = try WorkloadPlan.make(spec: spec, project: project, imageReferences: references,
                                                     projectRoot: Self.samples + "/shop")
                    states[name] = try await harness.runtime.up(plan, fingerprint: plan.fingerprint(), timeout: .seconds(30))
                }
                let web = try #require(states["web"]?.urls.first)
                let first = await httpGet(web + "/cgi-bin/api")
                #expect(first?.status == 200)
                #expect(first?.body.contains("\"visits\": 1") == true, "\(first?.body ?? "no answer")")
                #expect(await httpGet(web + "/cgi-bin/api")?.body.contains("\"visits\": 2") == true)
                // The sidecar reaches api on localhost.
                #expect(try await eventually {
                    var lines: [String] = []
                    for try await line in harness.runtime.logs(workload: "api") where line.sidecar == "heartbeat" {
                        lines.append(line.text)
                    }
                    return lines.contains("api is up")
                })
            }
        }
    }

    /// Loads `sample` as a project named like the harness, builds its images under test tags,
    /// runs `body`, then removes the containers and the images.
    static func withSampleImages(_ sample: String, harness: RuntimeHarness,
                                 _ body: (ProjectSpec, [String: String]) async throws -> Void) async throws {
        let root = samples + "/" + sample
        var project = try ProjectLoader.load(path: root + "/wbuild.json")
        project.name = harness.project
        var references: [String: String] = [:]
        func removeImages() async {
            try? await harness.runtime.down(volumes: true)
            for tag in references.values { try? await harness.client.removeImage(tag, force: true) }
        }
        do {
            for workload in project.workloads {
                guard case .build(let build) = workload.source else { continue }
                let tag = "wbuild-test/\(harness.project)-\(workload.name):1"
                references[workload.name] = tag
                let ignored: Set<String> = build.context == "." ? ["wbuild.json", "README.md", ".dockerignore", ".wbuild"] : []
                _ = try await harness.client.build(contextTar: try contextTar(root + "/" + build.context, ignoring: ignored),
                                                   options: BuildOptions(tags: [tag]))
            }
            try await body(project, references)
        } catch {
            await removeImages()
            throw error
        }
        await removeImages()
    }

    /// A build context: every file under `directory`, with its mode.
    static func contextTar(_ directory: String, ignoring ignored: Set<String>) throws -> [UInt8] {
        var entries: [TarEntry] = []
        let files = try #require(FileManager.default.enumerator(atPath: directory)?.allObjects as? [String]).sorted()
        for relative in files where !ignored.contains(String(relative.split(separator: "/").first ?? "")) {
            let path = directory + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                entries.append(.directory(relative))
            } else {
                let executable = FileManager.default.isExecutableFile(atPath: path)
                entries.append(.file(relative, from: path, mode: executable ? 0o755 : 0o644))
            }
        }
        return try TarWriter.archive(entries)
    }
}
