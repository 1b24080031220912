import Foundation
import Testing
import WBuildTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The files of a wbuild image equal those of `DOCKER_BUILDKIT=0 docker build` of the same
/// context: paths, types, modes, link targets, hard-link identity, contents and file mtimes.
@Suite struct ContextCorpusEndToEndTests {
    /// One thing in a context; created in order, then every regular file's mtime is set to 2001.
    enum Item: Sendable, CustomStringConvertible {
        case file(String, String, mode: mode_t = 0o644)
        case directory(String, mode: mode_t = 0o755)
        case hardLink(String, to: String)
        case symlink(String, target: String)

        var description: String {
            switch self {
            case .file(let path, _, let mode): "\(path) (\(String(mode, radix: 8)))"
            case .directory(let path, let mode): "\(path)/ (\(String(mode, radix: 8)))"
            case .hardLink(let path, let to): "\(path) = \(to)"
            case .symlink(let path, let target): "\(path) -> \(target)"
            }
        }
    }

    /// A named context.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var items: [Item]
        /// The Dockerfile's path inside the context, when not `Dockerfile`.
        var dockerfile: String? = nil
        var target: String? = nil
        var description: String { name }
    }

    static let dockerfile = Item.file("Dockerfile", "FROM wbuild-samples/busybox:1\nCOPY . /ctx/\n")

    static let cases: [Case] = [
        Case(name: "modes", items: [
            dockerfile,
            .file("owner-only.txt", "secret\n", mode: 0o600),
            .file("group-read.txt", "group\n", mode: 0o640),
            .file("run.sh", "#!/bin/sh\necho run\n", mode: 0o755),
            .file("odd.txt", "odd\n", mode: 0o604),
            .directory("private", mode: 0o700),
            .file("private/key", "key\n", mode: 0o600),
            .directory("shared", mode: 0o775),
            .file("shared/readme", "readme\n"),
        ]),
        Case(name: "empty-dirs", items: [
            dockerfile,
            .file(".dockerignore", "emptied/*\n**/*.bak\n"),
            .directory("empty"),
            .directory("nested/deeper/empty", mode: 0o700),
            .file("emptied/a.txt", "a\n"),
            .file("emptied/b.txt", "b\n"),
            .directory("only-backups"),
            .file("only-backups/x.bak", "x\n"),
        ]),
        Case(name: "links", items: [
            dockerfile,
            .file("a.txt", "shared inode\n", mode: 0o640),
            .directory("sub"),
            .hardLink("sub/a-again.txt", to: "a.txt"),
            .hardLink("z-third.txt", to: "a.txt"),
            .file("copy.txt", "shared inode\n", mode: 0o640),
            .symlink("relative", target: "a.txt"),
            .symlink("sub/up", target: "../copy.txt"),
            .symlink("absolute", target: "/etc/passwd"),
            .symlink("dangling", target: "nowhere/at/all"),
            .symlink("to-dir", target: "sub"),
        ]),
        Case(name: "patterns", items: [
            dockerfile,
            .file(".dockerignore", """
            # comments and blank lines are skipped

            *.log
            !keep.log
            **/*.tmp
            /anchored.txt
            [a-c].txt
            docs
            !docs/keep.md
            manual
            !**/keep.md
            build/**
            !build/out/app
            """),
            .file("app.log", "log\n"), .file("keep.log", "keep\n"), .file("sub/app.log", "nested log is kept\n"),
            .file("x.tmp", "tmp\n"), .file("sub/deep/y.tmp", "tmp\n"), .file("sub/z.tmpl", "template\n"),
            .file("anchored.txt", "root\n"), .file("sub/anchored.txt", "nested\n"),
            .file("a.txt", "a\n"), .file("c.txt", "c\n"), .file("d.txt", "d\n"), .file("ab.txt", "ab\n"),
            .directory("docs", mode: 0o700), .file("docs/keep.md", "keep\n"), .file("docs/other.md", "other\n"),
            .file("manual/keep.md", "keep\n"),
            .file("build/out/app", "app\n", mode: 0o755), .file("build/out/app.map", "map\n"), .file("build/log", "log\n"),
        ]),
        Case(name: "more-patterns", items: [
            dockerfile,
            .file(".dockerignore", "logs/\n?.cfg\n[^x]y.txt\n**/deep/**/z.txt\n!**/deep/keep/z.txt\n*/nested.txt\nsub*/\n!sub2\n"),
            .file("logs/a.log", "a\n"), .file("a.cfg", "a\n"), .file("ab.cfg", "ab\n"),
            .file("ay.txt", "ay\n"), .file("xy.txt", "xy\n"),
            .file("p/deep/q/z.txt", "z\n"), .file("deep/z.txt", "z\n"), .file("p/deep/keep/z.txt", "kept\n"),
            .file("n/nested.txt", "n\n"), .file("n/m/nested.txt", "deeper\n"), .file("nested.txt", "top\n"),
            .file("sub1/f", "f\n"), .file("sub2/f", "f\n"), .file("sub3", "a file\n"),
        ]),
        Case(name: "editor-names", items: [
            dockerfile,
            .file(".dockerignore", ".dockerignore\nDockerfile\nignored.txt\n"),
            .file("notes~", "backup\n"), .file("#draft#", "autosave\n"), .file("4913", "vim probe\n"),
            .file("sedAB12cd", "sed temp\n"), .file("plan___jb_old___", "jetbrains\n"), .file(".app.js.swp", "swap\n"),
            .file(".git/HEAD", "ref: refs/heads/main\n"), .file("ignored.txt", "ignored\n"), .file("kept.txt", "kept\n"),
        ]),
        // The CLI sends an ignored Dockerfile anyway and the engine deletes it, leaving its
        // ignored directory behind, empty.
        Case(name: "ignored-dockerfile", items: [
            .directory("docker", mode: 0o700),
            .file("docker/Dockerfile", "FROM wbuild-samples/busybox:1\nCOPY . /ctx/\n"),
            .file("docker/notes", "ignored\n"),
            .file(".dockerignore", "docker\n.dockerignore\n"),
            .file("app.txt", "app\n"),
        ], dockerfile: "docker/Dockerfile"),
        // An ignored Dockerfile that is a symlink is still sent as the link it is.
        Case(name: "ignored-symlinked-dockerfile", items: [
            .file("build/real.Dockerfile", "FROM wbuild-samples/busybox:1\nCOPY . /ctx/\n"),
            .symlink("Dockerfile", target: "build/real.Dockerfile"),
            .file(".dockerignore", "Dockerfile\n"),
            .file("app.txt", "app\n"),
        ]),
        Case(name: "target", items: [
            .file("Dockerfile", "FROM wbuild-samples/busybox:1 AS base\nCOPY . /ctx/\nFROM base AS broken\nRUN exit 3\n"),
            .file(".dockerignore", ".dockerignore\nsecret\n"),
            .file("secret", "s\n"), .file("app.txt", "app\n", mode: 0o600),
        ], target: "base"),
    ]

    @Test(arguments: cases)
    func wbuildsImageHasTheFilesDockersHas(_ corpus: Case) throws {
        let project = "wbt-ctx-\(corpus.name)-\(UUID().uuidString.prefix(6).lowercased())"
        let dir = try TemporaryDirectory(prefix: "wbuild-corpus")
        let dockerTag = "\(project)/docker:1"
        defer {
            DockerCLI.run(["rmi", "-f", dockerTag])
            DockerCLI.cleanUp(project: project)
            dir.remove()
        }
        var build = #"context: "ctx""#
        if let dockerfile = corpus.dockerfile { build += #", dockerfile: "ctx/\#(dockerfile)""# }
        if let target = corpus.target { build += #", target: "\#(target)""# }
        try dir.write("wbuild.json", #"{ name: "\#(project)", workloads: { c: { build: { \#(build) } } } }"#)
        try Self.create(corpus.items, in: dir.url("ctx"))

        var options: [String] = []
        if let dockerfile = corpus.dockerfile { options += ["-f", dir.url("ctx/" + dockerfile)] }
        if let target = corpus.target { options += ["--target", target] }
        let built = try Self.dockerBuild(context: dir.url("ctx"), tag: dockerTag, options: options)
        #expect(built.status == 0, "docker build failed: \(built.output)")
        let run = try WBuildBinary.run(["once", "--json"], in: dir.path)
        #expect(run.exitCode == 0, "\(run.stderr)")
        let image = try #require(run.nodes["image:c"]?["image"] as? String)

        let theirs = try #require(Self.listing(of: dockerTag))
        let ours = try #require(Self.listing(of: image))
        let missing = theirs.filter { !ours.contains($0) }, extra = ours.filter { !theirs.contains($0) }
        #expect(ours == theirs, "only in docker's image: \(missing); only in wbuild's: \(extra)")

        // However the labels travelled, they are on the image.
        let labels = DockerCLI.run(["inspect", "-f", #"{{index .Config.Labels "dev.wbuild.project"}} {{index .Config.Labels "dev.wbuild.workload"}}"#, image])
        #expect(labels == "\(project) c")
        let fingerprint = DockerCLI.run(["inspect", "-f", #"{{index .Config.Labels "dev.wbuild.fingerprint"}}"#, image]) ?? ""
        #expect(fingerprint.count == 64, "no fingerprint label on \(image)")

        // The image tagged by fingerprint is trusted next time: nothing is sent again.
        let again = try WBuildBinary.run(["once", "--json"], in: dir.path)
        #expect(again.status("image:c") == "cached", "\(again.stderr)")
    }

    @Test func aModeChangeRebuildsTheImage() throws {
        let project = "wbt-ctx-chmod-\(UUID().uuidString.prefix(6).lowercased())"
        let dir = try TemporaryDirectory(prefix: "wbuild-corpus")
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        try dir.write("wbuild.json", #"{ name: "\#(project)", workloads: { c: { build: { context: "ctx" } } } }"#)
        try Self.create([Self.dockerfile, .file("config", "c\n", mode: 0o644)], in: dir.url("ctx"))
        #expect(try WBuildBinary.run(["once", "--json"], in: dir.path).status("image:c") == "built")
        _ = chmod(dir.url("ctx/config"), 0o600)
        let changed = try WBuildBinary.run(["once", "--json"], in: dir.path)
        #expect(changed.status("image:c") == "built")
        let image = try #require(changed.nodes["image:c"]?["image"] as? String)
        #expect(DockerCLI.run(["run", "--rm", image, "stat", "-c", "%a", "/ctx/config"]) == "600")
    }

    @Test func turningACopyIntoAHardLinkRebuildsTheImage() throws {
        let project = "wbt-ctx-link-\(UUID().uuidString.prefix(6).lowercased())"
        let dir = try TemporaryDirectory(prefix: "wbuild-corpus")
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        try dir.write("wbuild.json", #"{ name: "\#(project)", workloads: { c: { build: { context: "ctx" } } } }"#)
        try Self.create([Self.dockerfile, .file("a", "same\n"), .file("b", "same\n")], in: dir.url("ctx"))
        #expect(try WBuildBinary.run(["once", "--json"], in: dir.path).status("image:c") == "built")
        try FileManager.default.removeItem(atPath: dir.url("ctx/b"))
        try #require(link(dir.url("ctx/a"), dir.url("ctx/b")) == 0)
        let linked = try WBuildBinary.run(["once", "--json"], in: dir.path)
        #expect(linked.status("image:c") == "built")
        let image = try #require(linked.nodes["image:c"]?["image"] as? String)
        #expect(DockerCLI.run(["run", "--rm", image, "stat", "-c", "%h", "/ctx/a"]) == "2")
    }

    // MARK: - Helpers

    /// Creates `items` under `root`, then dates every regular file 2001-01-01 (the image keeps file mtimes).
    static func create(_ items: [Item], in root: String) throws {
        let files = FileManager.default
        func parent(_ path: String) throws {
            try files.createDirectory(atPath: (root + "/" + path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        }
        var regular: [String] = []
        for item in items {
            switch item {
            case .file(let path, let contents, let mode):
                try parent(path)
                try Data(contents.utf8).write(to: URL(fileURLWithPath: root + "/" + path))
                try #require(chmod(root + "/" + path, mode) == 0)
                regular.append(path)
            case .directory(let path, let mode):
                try files.createDirectory(atPath: root + "/" + path, withIntermediateDirectories: true)
                try #require(chmod(root + "/" + path, mode) == 0)
            case .hardLink(let path, let to):
                try parent(path)
                try #require(link(root + "/" + to, root + "/" + path) == 0)
            case .symlink(let path, let target):
                try parent(path)
                try files.createSymbolicLink(atPath: root + "/" + path, withDestinationPath: target)
            }
        }
        var times = [timespec(tv_sec: 978_307_200, tv_nsec: 0), timespec(tv_sec: 978_307_200, tv_nsec: 0)]
        for path in regular { _ = utimensat(AT_FDCWD, root + "/" + path, &times, AT_SYMLINK_NOFOLLOW) }
    }

    /// `DOCKER_BUILDKIT=0 docker build -q -t TAG OPTIONS CONTEXT`.
    static func dockerBuild(context: String, tag: String, options: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DockerCLI.path)
        process.arguments = ["build", "-q", "-t", tag] + options + [context]
        var environment = ProcessInfo.processInfo.environment
        environment["DOCKER_BUILDKIT"] = "0"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Every path under `/ctx` in `image`: `path type mode content` where content is the sha256
    /// (and mtime) of a regular file, the target of a symlink, and a hard link names the first
    /// path of its inode.
    static func listing(of image: String) -> [String]? {
        let script = #"""
        cd /ctx && find . ! -path . | sort | while IFS= read -r p; do
          s=$(stat -c '%F|%a|%i|%h|%Y' "$p")
          case "$s" in
            regular*) c=$(sha256sum "$p" | cut -d' ' -f1);;
            symbolic*) c=$(readlink "$p");;
            *) c=-;;
          esac
          echo "$p|$s|$c"
        done
        """#
        guard let output = DockerCLI.run(["run", "--rm", image, "sh", "-c", script]) else { return nil }
        var firstOfInode: [String: String] = [:]
        return output.split(separator: "\n").map { line in
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 7 else { return "unparsed: \(line)" }
            let (path, type, mode, inode, links, mtime, content) = (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6])
            var text = "\(path) \(type) \(mode) \(content)"
            if type.hasPrefix("regular") {
                text += " mtime=\(mtime)"
                if links != "1" {
                    let first = firstOfInode[inode] ?? path
                    firstOfInode[inode] = first
                    text += " inode-of=\(first)"
                }
            }
            return text
        }
    }
}
