import Foundation
import Testing
import WBuildTestSupport

/// A user who is not root: with the Docker socket (the `docker` group), everything but set-up
/// works; set-up says which steps need root instead of failing obscurely.
@Suite struct NonRootEndToEndTests {
    /// `setpriv` arguments that run as uid/gid 65534 with only `groups` as supplementary groups.
    func asNobody(groups: [String]) -> [String] {
        ["/usr/bin/setpriv", "--reuid", "65534", "--regid", "65534"]
            + (groups.isEmpty ? ["--clear-groups"] : ["--groups", groups.joined(separator: ",")])
    }

    func dockerGroupID() throws -> String {
        let group = try String(contentsOfFile: "/etc/group", encoding: .utf8).split(separator: "\n")
            .first { $0.hasPrefix("docker:") }
        return try #require(group?.split(separator: ":", omittingEmptySubsequences: false).dropFirst(2).first.map(String.init),
                            "no docker group: setup.sh installs docker.io, which makes it")
    }

    func run(_ command: [String], in directory: String, environment: [String: String] = [:]) throws -> (code: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["HOME"] = directory
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test func aUserInTheDockerGroupRunsUpStatusAndDownWithoutRoot() throws {
        let (dir, project) = try WorkloadEndToEndTests().sampleProject("hello")
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        // The project is the user's own.
        #expect(try run(["/bin/chown", "-R", "65534:65534", dir.path], in: dir.path).code == 0)
        let user = asNobody(groups: [try dockerGroupID()])
        let up = try run(user + [WBuildBinary.path, "up"], in: dir.path)
        #expect(up.code == 0, "\(up.output)")
        let status = try run(user + [WBuildBinary.path, "status"], in: dir.path)
        #expect(status.code == 0 && status.output.contains("ready"), "\(status.output)")
        let down = try run(user + [WBuildBinary.path, "down"], in: dir.path)
        #expect(down.code == 0, "\(down.output)")
        #expect(DockerCLI.run(["ps", "-aq", "--filter", "label=dev.wbuild.project=\(project)"]) == "")
    }

    @Test func setUpAsAUserWithoutTheSocketSaysWhatToDo() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        #expect(try run(["/bin/chmod", "o+rx", dir.path], in: dir.path).code == 0)
        let setup = try run(asNobody(groups: []) + ["/bin/bash", WBuildBinary.packageRoot + "/scripts/setup.sh"], in: dir.path)
        #expect(setup.code != 0)
        // Everything is installed here, so what is left is the socket: it says how to get it.
        #expect(setup.output.contains("docker group") && setup.output.contains("usermod"), "\(setup.output)")
    }
}
