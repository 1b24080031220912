import Foundation
import Testing
import WBuildTestSupport

/// `wbuild exec`: a command in a running replica, its output and exit code, with a TTY when stdin is one.
extension WorkloadEndToEndTests {
    /// Runs `wbuild ARGS` (or `executable`) in `directory` with `input` on its stdin.
    func runWithInput(_ arguments: [String], input: String, in directory: String,
                      executable: String = WBuildBinary.path) throws -> (code: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    @Test func execRunsACommandInAReplicaWithItsOutputInputAndExitCode() throws {
        let (dir, project) = try helloProject()
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let up = try WBuildBinary.run(["up"], in: dir.path, timeout: .seconds(300))
        #expect(up.exitCode == 0, "\(up.stdout.suffix(2000)) \(up.stderr)")

        let failing = try WBuildBinary.run(["exec", "web", "--", "sh", "-c", "echo out; echo err >&2; exit 3"], in: dir.path)
        #expect(failing.exitCode == 3)
        #expect(failing.stdout == "out\n" && failing.stderr == "err\n", "\(failing.stdout) / \(failing.stderr)")

        let piped = try runWithInput(["exec", "web", "--", "cat"], input: "through stdin\n", in: dir.path)
        #expect(piped.code == 0 && piped.out == "through stdin\n", "\(piped)")

        let page = try WBuildBinary.run(["exec", "web", "--replica", "0", "--", "cat", "/www/index.html"], in: dir.path)
        #expect(page.exitCode == 0 && page.stdout.contains("hello"), "\(page.stdout) \(page.stderr)")

        let missing = try WBuildBinary.run(["exec", "web", "--replica", "4", "--", "true"], in: dir.path)
        #expect(missing.exitCode == 1 && missing.stderr.contains("no running replica 4"), "\(missing.stderr)")
        let unknown = try WBuildBinary.run(["exec", "wbe", "--", "true"], in: dir.path)
        #expect(unknown.exitCode == 2 && unknown.stderr.contains("did you mean `web`?"), "\(unknown.stderr)")
    }

    @Test func execGivesTheCommandATerminalWhenStdinIsOne() throws {
        let (dir, project) = try helloProject()
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        #expect(try WBuildBinary.run(["up"], in: dir.path, timeout: .seconds(300)).exitCode == 0)
        // script(1) runs wbuild on a pseudo-terminal and returns its exit code (-e).
        let command = "'\(WBuildBinary.path)' exec web -- sh -c 'tty; exit 4'"
        let run = try runWithInput(["-qec", command, "/dev/null"], input: "", in: dir.path, executable: "/usr/bin/script")
        #expect(run.code == 4, "\(run)")
        #expect(run.out.contains("/dev/pts/"), "no terminal in the container: \(run.out)")
    }
}
