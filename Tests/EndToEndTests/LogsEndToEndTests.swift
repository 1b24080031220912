import Foundation
import Testing
import WBuildTestSupport

/// `wbuild logs --tail N --since DURATION --timestamps`, and `logs -f` from the tail.
@Suite struct LogsEndToEndTests {
    func project() throws -> (String, TemporaryDirectory) {
        let name = "wbt-logs-\(UUID().uuidString.prefix(6).lowercased())"
        let dir = try TemporaryDirectory()
        try dir.write("wbuild.json", """
        { name: "\(name)", workloads: { talk: { image: "wbuild-samples/busybox:1",
            command: ["sh", "-c", "for i in $(seq 1 30); do echo line-$i; done; exec sleep 3600"] } } }
        """)
        return (name, dir)
    }

    /// The `line-N` part of each output line that has one.
    func lines(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in line.range(of: "line-").map { String(line[$0.lowerBound...]) } }
    }

    @Test func logsTakeTailSinceAndTimestampsAndFollowStartsFromTheTail() async throws {
        let (name, dir) = try project()
        defer { DockerCLI.cleanUp(project: name); dir.remove() }
        #expect(try WBuildBinary.run(["up"], in: dir.path, timeout: .seconds(120)).exitCode == 0)
        let all = (1...30).map { "line-\($0)" }
        #expect(try await eventually { lines(try WBuildBinary.run(["logs", "talk"], in: dir.path).stdout) == all })

        let tail = try WBuildBinary.run(["logs", "talk", "--tail", "3"], in: dir.path)
        #expect(lines(tail.stdout) == ["line-28", "line-29", "line-30"], "\(tail.stdout)")
        let stamped = try WBuildBinary.run(["logs", "talk", "-n", "1", "--timestamps"], in: dir.path)
        #expect(stamped.stdout.contains(#/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z talk\[0\] │ line-30$/#.anchorsMatchLineEndings()), "\(stamped.stdout)")
        let json = try WBuildBinary.run(["logs", "talk", "--tail", "1", "--timestamps", "--json"], in: dir.path)
        #expect((json.jsonLines.first?["time"] as? String)?.hasSuffix("Z") == true, "\(json.stdout)")
        #expect(lines(try WBuildBinary.run(["logs", "talk", "--since", "1h"], in: dir.path).stdout) == all)
        let bad = try WBuildBinary.run(["logs", "talk", "--since", "soon"], in: dir.path)
        #expect(bad.exitCode == 2 && bad.stderr.contains("--since takes a duration"), "\(bad.stderr)")

        let follow = try RunningWBuild(["logs", "talk", "-f"], in: dir.path)
        defer { follow.stop() }
        #expect(follow.wait { follow.stdoutLines.contains { $0.hasSuffix("line-30") } }, "\(follow.stdoutLines)")
        #expect(lines(follow.stdoutLines.joined(separator: "\n")) == Array(all.suffix(10)), "\(follow.stdoutLines)")
        #expect(follow.stop() == 0)
    }
}
