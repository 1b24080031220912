import Foundation
import Testing
import WBuildTestSupport

/// Long work says how far it has got: `progress` events in `--json`, one updating line on a
/// terminal, and nothing for work that ends within half a second.
@Suite struct ProgressEndToEndTests {
    /// A workload built with a slow step whose server becomes ready only after a while.
    func slowProject() throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory()
        let project = "wbt-progress-\(UUID().uuidString.prefix(6).lowercased())"
        try dir.write("wbuild.json", """
        { name: "\(project)", workloads: { web: {
            build: { context: "web" },
            entrypoint: ["/bin/sh", "-c", "sleep 2; exec httpd -f -p 8080 -h /www"],
            ports: [{ container: 8080, protocol: "http" }],
            readiness: { http: { path: "/", port: 8080 }, intervalMs: 100 },
            stopGraceMs: 500,
        } } }
        """)
        try dir.write("web/Dockerfile", """
        FROM wbuild-samples/busybox:1
        COPY www /www
        RUN sleep 2
        """)
        try dir.write("web/www/index.html", "hi\n")
        return (dir, project)
    }

    func progress(_ run: WBuildBinary.Run) -> [[String: Any]] {
        run.jsonLines.filter { $0["type"] as? String == "progress" }
    }

    @Test func aSlowBuildAndAReadinessWaitReportProgress() throws {
        let (dir, project) = try slowProject()
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let up = try WBuildBinary.run(["up", "--json"], in: dir.path)
        #expect(up.exitCode == 0, "\(up.stderr)")
        let events = progress(up)
        let building = events.filter { $0["id"] as? String == "image:web" && $0["phase"] as? String == "building" }
        #expect(building.contains { ($0["detail"] as? String)?.contains("RUN sleep 2") == true }, "\(events)")
        let waiting = events.filter { $0["id"] as? String == "workload:web" && $0["phase"] as? String == "waiting for readiness" }
        #expect(waiting.contains { $0["unit"] as? String == "replicas" && $0["total"] as? Int == 1 && $0["done"] as? Int == 0 },
                "\(events)")

        // Nothing is slow the second time (all cached): no progress at all.
        let again = try WBuildBinary.run(["up", "--json"], in: dir.path)
        #expect(again.exitCode == 0)
        #expect(progress(again).isEmpty, "\(progress(again))")
    }

    @Test func aTerminalGetsOneUpdatingLine() throws {
        let (dir, project) = try slowProject()
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        // `script` gives wbuild a terminal and records what it wrote to it.
        let transcript = dir.url("transcript")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "'\(WBuildBinary.path)' once", transcript]
        process.currentDirectoryURL = URL(fileURLWithPath: dir.path)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let text = try String(contentsOfFile: transcript, encoding: .utf8)
        // The progress line is drawn in place (carriage return, erase line), then erased again.
        #expect(text.contains("\r\u{1B}[K⋯ image:web building"), "\(text)")
        #expect(text.contains("✓ image:web"), "\(text)")
    }
}
