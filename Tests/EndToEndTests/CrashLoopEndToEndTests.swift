import Foundation
import Testing
import WBuildTestSupport

/// `wbuild up` with a process that keeps exiting, as a user runs it: it fails (exit 1) once the
/// workload has crashed three times in a row, saying so with the exit code and the last lines.
@Suite struct CrashLoopEndToEndTests {
    func project(_ workload: String) throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory(prefix: "wbuild-crashloop")
        let name = "wbc-" + UUID().uuidString.prefix(8).lowercased()
        try dir.write("wbuild.json", "{ name: \"\(name)\", workloads: { app: \(workload) } }")
        return (dir, name)
    }

    @Test func upFailsForAProcessThatExitsWithoutAProbe() throws {
        let (dir, name) = try project("""
            { image: "wbuild-samples/busybox:1", entrypoint: ["sh", "-c"], command: ["echo cannot-start-here; exit 1"] }
            """)
        defer { DockerCLI.cleanUp(project: name); dir.remove() }
        let run = try WBuildBinary.run(["up"], in: dir.path, timeout: .seconds(90))
        let said = run.stdout + run.stderr
        #expect(run.exitCode == 1, "\(said)")
        #expect(said.contains("crash-looping"), "\(said)")
        #expect(said.contains("last with code 1"), "\(said)")
        #expect(said.contains("cannot-start-here"), "\(said)")
    }

    @Test func upWithAProbeFailsAfterThreeCrashesNotAtItsTimeout() throws {
        let (dir, name) = try project("""
            { image: "wbuild-samples/busybox:1", entrypoint: ["sh", "-c"],
              command: ["echo about-to-crash; sleep 0.2; exit 9"],
              ports: [{ container: 8080, protocol: "http" }],
              readiness: { http: { path: "/", port: 8080 }, intervalMs: 100 } }
            """)
        defer { DockerCLI.cleanUp(project: name); dir.remove() }
        // With --timeout 120 only the crash count can end it before the test's own 90 s limit.
        let run = try WBuildBinary.run(["up", "--timeout", "120"], in: dir.path, timeout: .seconds(90))
        let said = run.stdout + run.stderr
        #expect(run.exitCode == 1, "\(said)")
        #expect(said.contains("exited 3 times in a row, last with code 9"), "\(said)")
        #expect(said.contains("about-to-crash"), "\(said)")
    }
}
