import Foundation
import Testing
import WBuildTestSupport

/// wbuild as a user installs it: `scripts/install.sh` into a prefix, `scripts/package.sh`
/// unpacked elsewhere, `--version`, and the project file found from a subfolder.
@Suite struct InstallEndToEndTests {
    /// Runs a shell script in `directory`; its exit code and output.
    func shell(_ script: String, in directory: String = WBuildBinary.packageRoot) throws -> (code: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    /// A build folder of its own: the built binary and its helpers' resource bundle, copied, so
    /// the test can remove it as a user removes `.build` after installing.
    func copyOfTheBuildFolder(in dir: TemporaryDirectory) throws -> String {
        let builtDirectory = (WBuildBinary.path as NSString).deletingLastPathComponent
        let copy = dir.url("build")
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: WBuildBinary.path, toPath: copy + "/wbuild")
        let resources = "wbuild_WBuildWorkloads.resources"
        try FileManager.default.copyItem(atPath: builtDirectory + "/" + resources, toPath: copy + "/" + resources)
        return copy
    }

    @Test func versionNamesTheVersionAndTheCommitAndHelpListsIt() throws {
        let run = try WBuildBinary.run(["--version"], in: WBuildBinary.packageRoot)
        #expect(run.exitCode == 0)
        let version = try String(contentsOfFile: WBuildBinary.packageRoot + "/VERSION", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(run.stdout.hasPrefix("wbuild \(version) (commit "), "\(run.stdout)")
        // The commit is this checkout's HEAD, or one before it (a commit made since the build).
        let commit = run.stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ")\n")) }
            .map { $0.replacingOccurrences(of: "-dirty", with: "") } ?? ""
        #expect(commit.count == 12 && commit.allSatisfy(\.isHexDigit), "\(run.stdout)")
        let ancestor = try shell("git merge-base --is-ancestor \(commit) HEAD")
        #expect(ancestor.code == 0, "\(commit) is not HEAD or one of its ancestors: \(ancestor.output)")
        let help = try WBuildBinary.run(["--help"], in: WBuildBinary.packageRoot)
        #expect(help.stdout.contains("--version"), "\(help.stdout)")
    }

    @Test func anInstalledWBuildLiveUpdatesWithItsBuildFolderGone() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let build = try copyOfTheBuildFolder(in: dir)
        let prefix = dir.url("prefix")
        let install = try shell("bash scripts/install.sh --bin-dir '\(build)' '\(prefix)'")
        #expect(install.code == 0, "\(install.output)")
        try FileManager.default.removeItem(atPath: build)
        let installed = prefix + "/bin/wbuild"
        #expect(FileManager.default.isExecutableFile(atPath: prefix + "/libexec/wbuild/wbuild-init"))
        #expect(FileManager.default.isExecutableFile(atPath: prefix + "/libexec/wbuild/wbuild-door"))

        let workloads = WorkloadEndToEndTests()
        let (project, name) = try workloads.sampleProject("hello")
        defer { DockerCLI.cleanUp(project: name); project.remove() }
        let doctor = try WBuildBinary.run(["doctor"], in: project.path, executable: installed)
        #expect(doctor.stdout.contains("✓ wbuild-init: \(prefix)/libexec/wbuild/wbuild-init"), "\(doctor.stdout)")
        let watch = try RunningWBuild(["watch", "--json"], in: project.path, executable: installed)
        defer { watch.stop() }
        #expect(watch.wait(timeout: .seconds(90)) { !watch.events(ofType: "ready").isEmpty },
                "\(watch.stdoutLines.suffix(20)) \(watch.stderrText)")
        let address = try #require(workloads.firstURL(in: watch.events(ofType: "ready").first?["detail"] as? String))
        try project.write("site/index.html", "<h1>from an installed wbuild</h1>\n")
        #expect(watch.wait { workloads.get(address + "/index.html")?.contains("from an installed wbuild") == true })
        #expect(watch.events(ofType: "liveUpdate").count >= 1, "the edit arrived by live update, not a rebuild")
        #expect(watch.stop() == 0)
    }

    @Test func aPackageWorksWhereverItIsUnpacked() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let build = try copyOfTheBuildFolder(in: dir)
        let packaged = try shell("bash scripts/package.sh --bin-dir '\(build)' --out '\(dir.url("out"))'")
        #expect(packaged.code == 0, "\(packaged.output)")
        try FileManager.default.removeItem(atPath: build)
        let version = try String(contentsOfFile: WBuildBinary.packageRoot + "/VERSION", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let name = "wbuild-\(version)-linux-\(try shell("uname -m").output.trimmingCharacters(in: .whitespacesAndNewlines))"
        let unpack = try shell("mkdir -p '\(dir.url("elsewhere"))' && tar -xzf '\(dir.url("out"))/\(name).tar.gz' -C '\(dir.url("elsewhere"))'")
        #expect(unpack.code == 0, "\(unpack.output)")
        let unpacked = dir.url("elsewhere") + "/" + name
        let doctor = try WBuildBinary.run(["doctor"], in: dir.path, executable: unpacked + "/bin/wbuild")
        #expect(doctor.stdout.contains("✓ wbuild-init: \(unpacked)/libexec/wbuild/wbuild-init"), "\(doctor.stdout)")
        #expect(doctor.stdout.contains("✓ wbuild-door: \(unpacked)/libexec/wbuild/wbuild-door"), "\(doctor.stdout)")
    }

    @Test func theProjectFileIsFoundFromASubfolder() throws {
        let (project, _) = try WorkloadEndToEndTests().sampleProject("hello")
        defer { project.remove() }
        let graph = try WBuildBinary.run(["graph", "--format", "json"], in: project.url("site"))
        #expect(graph.exitCode == 0, "\(graph.stderr)")
        #expect(graph.stdout.contains("image:web"), "\(graph.stdout)")
    }
}
