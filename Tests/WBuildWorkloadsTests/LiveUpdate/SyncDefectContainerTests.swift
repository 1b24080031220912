#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import WBuildDocker
import WBuildSpec
import WBuildTestSupport
@testable import WBuildWorkloads

/// The sync defects users met, against a real container (busybox under the supervisor), through
/// both transports: each edit is reported as the watcher reports it, planned, read from the host
/// when applied, and the container's tree is then listed and compared with the host's.
@Suite("Sync defects, in a real container")
struct SyncDefectContainerTests {
    /// Syncs `paths` (as one watcher batch) into `id`.
    static func sync(_ paths: [String], project: LiveUpdateProject, transport: SyncTransport, into id: String,
                     client: DockerClient) async throws {
        let plan = try project.plan(paths.map { ChangedFile(path: $0) }, rules: project.rules())
        _ = try await LiveUpdateExecutor(client: client, transport: transport)
            .apply(plan, to: [LiveUpdateReplica(containerID: id, supervised: true)])
    }

    /// Every path below `app` on the host now, as the watcher reports a tree that appears.
    static func everything(_ project: LiveUpdateProject) throws -> [String] {
        try HostTreeSnapshot.read(project.directory.url("app")).keys.map { $0.isEmpty ? "app" : "app/" + $0 }
    }

    static func differences(_ project: LiveUpdateProject, in id: String, client: DockerClient) async throws -> [String] {
        let host = ContainerTree.describe(try HostTreeSnapshot.read(project.directory.url("app")))
        return ContainerTree.differences(host: host, container: try await ContainerTree.read("/srv/app", in: id, client: client))
    }

    @Test("touch and chmod of a directory keep it and its files, with the new mode", arguments: SyncTransport.allCases)
    func touchAndChmodOfADirectory(transport: SyncTransport) async throws {
        let client = try DockerClient()
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        try project.directory.write("app/index.html", "home")
        try project.directory.write("app/sub/page.html", "page")
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage, command: ["sleep", "3600"],
                                                     supervised: true) { id in
            try await Self.sync(try Self.everything(project), project: project, transport: transport, into: id, client: client)
            var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
            #expect(utimensat(AT_FDCWD, project.directory.url("app/sub"), &times, 0) == 0)
            #expect(chmod(project.directory.url("app"), 0o750) == 0)
            try await Self.sync(["app/sub", "app"], project: project, transport: transport, into: id, client: client)
            #expect(try await LiveUpdateTestEngine.read("/srv/app/sub/page.html", in: id, client: client) == "page")
            #expect(try await LiveUpdateTestEngine.read("/srv/app/index.html", in: id, client: client) == "home")
            #expect(try await Self.differences(project, in: id, client: client) == [])
        }
    }

    @Test("a new symlink arrives as a link and an empty directory arrives", arguments: SyncTransport.allCases)
    func symlinksAndEmptyDirectories(transport: SyncTransport) async throws {
        let client = try DockerClient()
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        try project.directory.write("app/real/file.txt", "real")
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage, command: ["sleep", "3600"],
                                                     supervised: true) { id in
            try await Self.sync(try Self.everything(project), project: project, transport: transport, into: id, client: client)
            #expect(symlink("real", project.directory.url("app/alias")) == 0)
            #expect(symlink("/etc/hostname", project.directory.url("app/hostname")) == 0)
            #expect(mkdir(project.directory.url("app/empty"), 0o755) == 0)
            #expect(mkdir(project.directory.url("app/private"), 0o700) == 0)
            try await Self.sync(["app/alias", "app/hostname", "app/empty", "app/private"], project: project, transport: transport,
                                into: id, client: client)
            #expect(try await client.exec(id, command: ["readlink", "/srv/app/alias"]).stdoutText == "real\n")
            #expect(try await client.exec(id, command: ["readlink", "/srv/app/hostname"]).stdoutText == "/etc/hostname\n")
            #expect(try await Self.differences(project, in: id, client: client) == [])
        }
    }

    @Test("rm -rf of the synced directory leaves a bind mount inside it, and the host's files under it",
          arguments: SyncTransport.allCases)
    func aBindMountInsideTheTargetSurvives(transport: SyncTransport) async throws {
        let client = try DockerClient()
        let project = try LiveUpdateProject()
        let uploads = try TemporaryDirectory(prefix: "wbuild-uploads")
        defer { project.directory.remove(); uploads.remove() }
        try uploads.write("photo.jpg", "jpeg bytes")
        try project.directory.write("app/index.html", "home")
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage, command: ["sleep", "3600"],
                                                     supervised: true, configure: { config in
            config.hostConfig = HostConfig(binds: ["\(uploads.path):/srv/app/uploads"])
        }) { id in
            try await Self.sync(try Self.everything(project), project: project, transport: transport, into: id, client: client)
            #expect(chmod(project.directory.url("app"), 0o755) == 0)
            try await Self.sync(["app"], project: project, transport: transport, into: id, client: client)
            #expect(try uploads.read("photo.jpg") == "jpeg bytes")

            try project.remove("app")
            // The mount is named in the failure, and left in place with the host's files.
            await #expect(throws: LiveUpdateError.self) {
                try await Self.sync(["app", "app/index.html"], project: project, transport: transport, into: id, client: client)
            }
            #expect(try uploads.read("photo.jpg") == "jpeg bytes")
            #expect(try await LiveUpdateTestEngine.read("/srv/app/uploads/photo.jpg", in: id, client: client) == "jpeg bytes")
            #expect(try await LiveUpdateTestEngine.exists("/srv/app/index.html", in: id, client: client) == false)
        }
    }

    @Test("a directory replaced by a link, and a file by a directory, end as on the host", arguments: SyncTransport.allCases)
    func typeChanges(transport: SyncTransport) async throws {
        let client = try DockerClient()
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        try project.directory.write("app/dir/inner.txt", "inner")
        try project.directory.write("app/file", "file")
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage, command: ["sleep", "3600"],
                                                     supervised: true) { id in
            try await Self.sync(try Self.everything(project), project: project, transport: transport, into: id, client: client)
            try project.remove("app/dir")
            #expect(symlink("/etc", project.directory.url("app/dir")) == 0)
            try project.remove("app/file")
            try project.directory.write("app/file/nested.txt", "nested")
            try await Self.sync(["app/dir", "app/dir/inner.txt", "app/file", "app/file/nested.txt"], project: project,
                                transport: transport, into: id, client: client)
            #expect(try await Self.differences(project, in: id, client: client) == [])
            // Nothing was written through the link into the container's /etc.
            #expect(try await LiveUpdateTestEngine.exists("/etc/inner.txt", in: id, client: client) == false)
        }
    }
}
