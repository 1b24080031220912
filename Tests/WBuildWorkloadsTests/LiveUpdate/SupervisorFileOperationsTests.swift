import Foundation
import Testing
import WBuildDocker
import WBuildSystem
import WBuildTestSupport
@testable import WBuildWorkloads

/// The supervisor's file operations (`ControlChannel.apply`) in a real container, as a user of
/// live update would notice them: what ends up in the container, what is left alone.
@Suite("Supervisor file operations")
struct SupervisorFileOperationsTests {
    @Test("files, directories and links arrive in the order given, with their modes; links stay links")
    func operationsInOrder() async throws {
        let client = try DockerClient()
        try await SupervisorTest.withContainer(client) { id in
            let sent = try await SupervisorTest.apply([
                .writeFile(containerPath: "/srv/app/deep/er/index.html", bytes: Array("<h1>hi</h1>".utf8), mode: 0o640),
                .makeDirectory(containerPath: "/srv/app/empty", mode: 0o711),
                .makeSymlink(containerPath: "/srv/app/current", target: "deep/er"),
                .writeFile(containerPath: "/srv/app/run.sh", bytes: Array("#!/bin/sh\n".utf8), mode: 0o755),
                .writeFile(containerPath: "/srv/app/empty.txt", bytes: [], mode: 0o600),
                // Later operations on the same path win: the order is kept.
                .writeFile(containerPath: "/srv/app/twice.txt", bytes: Array("one".utf8), mode: 0o644),
                .remove(containerPath: "/srv/app/twice.txt"),
            ], to: id, client: client)
            #expect(sent == 11 + 7 + 10 + 3)
            #expect(try await SupervisorTest.shell("cat /srv/app/current/index.html", in: id, client: client) == "<h1>hi</h1>")
            #expect(try await SupervisorTest.shell("readlink /srv/app/current", in: id, client: client) == "deep/er\n")
            #expect(try await SupervisorTest.shell("stat -c %a /srv/app/deep/er/index.html /srv/app/empty /srv/app/run.sh /srv/app/empty.txt",
                                         in: id, client: client) == "640\n711\n755\n600\n")
            #expect(try await SupervisorTest.shell("test -e /srv/app/twice.txt || echo gone", in: id, client: client) == "gone\n")
            // Nothing is left beside the files (temporary names are renamed over their targets).
            #expect(try await SupervisorTest.shell("ls -A /srv/app", in: id, client: client)
                    == "current\ndeep\nempty\nempty.txt\nrun.sh\n")
        }
    }

    @Test("a directory's mode changes without its contents going; a file replaces a directory and a directory a file")
    func replacements() async throws {
        let client = try DockerClient()
        try await SupervisorTest.withContainer(client) { id in
            try await SupervisorTest.apply([
                .writeFile(containerPath: "/www/sub/page.html", bytes: Array("page".utf8), mode: 0o644),
                .writeFile(containerPath: "/www/was-a-dir/inner/file", bytes: Array("x".utf8), mode: 0o644),
                .writeFile(containerPath: "/www/was-a-file", bytes: Array("y".utf8), mode: 0o644),
            ], to: id, client: client)
            try await SupervisorTest.apply([
                .makeDirectory(containerPath: "/www", mode: 0o750),
                .makeDirectory(containerPath: "/www/sub", mode: 0o700),
                .writeFile(containerPath: "/www/was-a-dir", bytes: Array("now a file".utf8), mode: 0o644),
                .makeDirectory(containerPath: "/www/was-a-file", mode: 0o755),
            ], to: id, client: client)
            #expect(try await SupervisorTest.shell("cat /www/sub/page.html", in: id, client: client) == "page")
            #expect(try await SupervisorTest.shell("stat -c %a /www /www/sub", in: id, client: client) == "750\n700\n")
            #expect(try await SupervisorTest.shell("cat /www/was-a-dir", in: id, client: client) == "now a file")
            #expect(try await SupervisorTest.shell("test -d /www/was-a-file && echo dir", in: id, client: client) == "dir\n")
        }
    }

    @Test("removing a directory that holds a bind mount leaves the mount's files and names the mount")
    func removeStopsAtAMountOfAnotherDevice() async throws {
        let client = try DockerClient()
        let host = try TemporaryDirectory(prefix: "wbuild-uploads")
        defer { host.remove() }
        try host.write("photo.jpg", "jpeg bytes")
        try host.write("nested/thumb.jpg", "thumb")
        try await SupervisorTest.withContainer(client, configure: { config in
            config.hostConfig = HostConfig(binds: ["\(host.path):/www/uploads"])
        }) { id in
            try await SupervisorTest.apply([.writeFile(containerPath: "/www/index.html", bytes: Array("site".utf8), mode: 0o644)],
                                     to: id, client: client)
            let failure = try await SupervisorTest.failure(of: [.remove(containerPath: "/www")], in: id, client: client)
            #expect(failure?.contains("/www/uploads is a mount point; left in place") == true, "\(failure ?? "no failure")")
            // The rest was removed; the host's files under the mount were not.
            #expect(try await SupervisorTest.shell("test -e /www/index.html || echo gone", in: id, client: client) == "gone\n")
            #expect(try host.read("photo.jpg") == "jpeg bytes")
            #expect(try host.read("nested/thumb.jpg") == "thumb")
            // Removing the mount point itself is refused the same way.
            let again = try await SupervisorTest.failure(of: [.remove(containerPath: "/www/uploads")], in: id, client: client)
            #expect(again?.contains("/www/uploads is a mount point; left in place") == true)
            #expect(try host.read("photo.jpg") == "jpeg bytes")
            // So is `wbuild-init rm`, which the engine path runs through `docker exec`.
            let removed = try await client.exec(id, command: [SupervisorBinary.containerPath, "rm", "/www"])
            #expect(removed.exitCode == 1)
            #expect(removed.stderrText.contains("/www/uploads is a mount point; left in place"), "\(removed.stderrText)")
            #expect(try host.read("photo.jpg") == "jpeg bytes")
            #expect(try host.read("nested/thumb.jpg") == "thumb")
        }
    }

    @Test("a bind mount on the same device as the directory around it is found by its mount id and left in place")
    func removeStopsAtABindMountOfTheSameDevice() async throws {
        let client = try DockerClient()
        let site = try TemporaryDirectory(prefix: "wbuild-site")
        let uploads = try TemporaryDirectory(prefix: "wbuild-uploads")
        defer {
            site.remove()
            uploads.remove()
        }
        try site.write("data/report.txt", "synced")
        try uploads.write("photo.jpg", "jpeg bytes")
        // Both are directories of the host's /tmp: one st_dev for the directory and the mount in it.
        try await SupervisorTest.withContainer(client, configure: { config in
            config.hostConfig = HostConfig(binds: ["\(site.path):/srv/site", "\(uploads.path):/srv/site/data/uploads"])
        }) { id in
            #expect(try await SupervisorTest.shell("stat -c %d /srv/site/data /srv/site/data/uploads | uniq | wc -l", in: id, client: client)
                    == "1\n", "the test needs both on one device")
            let failure = try await SupervisorTest.failure(of: [.remove(containerPath: "/srv/site/data")], in: id, client: client)
            #expect(failure?.contains("/srv/site/data/uploads is a mount point; left in place") == true, "\(failure ?? "no failure")")
            #expect(try uploads.read("photo.jpg") == "jpeg bytes")
            #expect(!FileManager.default.fileExists(atPath: site.url("data/report.txt")))
        }
    }

    @Test("a symbolic link is removed as a link and never followed, on its own or inside a removed tree")
    func linksAreNotFollowed() async throws {
        let client = try DockerClient()
        try await SupervisorTest.withContainer(client) { id in
            try await SupervisorTest.apply([
                .writeFile(containerPath: "/keep/precious.txt", bytes: Array("precious".utf8), mode: 0o644),
                .makeSymlink(containerPath: "/srv/app/outside", target: "/keep"),
                .makeSymlink(containerPath: "/srv/app/tree/also-outside", target: "/keep"),
                .makeSymlink(containerPath: "/srv/app/file-link", target: "/keep/precious.txt"),
            ], to: id, client: client)
            try await SupervisorTest.apply([.remove(containerPath: "/srv/app/outside"), .remove(containerPath: "/srv/app/file-link")],
                                     to: id, client: client)
            #expect(try await SupervisorTest.shell("ls -A /srv/app", in: id, client: client) == "tree\n")
            try await SupervisorTest.apply([.remove(containerPath: "/srv/app/tree")], to: id, client: client)
            #expect(try await SupervisorTest.shell("ls -A /srv/app", in: id, client: client) == "")
            #expect(try await SupervisorTest.shell("cat /keep/precious.txt", in: id, client: client) == "precious")
        }
    }

    @Test("a write under a symbolic link is refused instead of landing where the link points")
    func writesDoNotFollowLinks() async throws {
        let client = try DockerClient()
        try await SupervisorTest.withContainer(client) { id in
            try await SupervisorTest.apply([
                .makeDirectory(containerPath: "/keep", mode: 0o755),
                .makeSymlink(containerPath: "/srv/app/escape", target: "/keep"),
            ], to: id, client: client)
            let failure = try await SupervisorTest.failure(of: [
                .writeFile(containerPath: "/srv/app/escape/planted", bytes: Array("x".utf8), mode: 0o4755),
                .writeFile(containerPath: "/srv/app/after.txt", bytes: Array("still applied".utf8), mode: 0o644),
            ], in: id, client: client)
            #expect(failure?.contains("/srv/app/escape is not a directory (a symbolic link is not followed)") == true,
                    "\(failure ?? "no failure")")
            #expect(try await SupervisorTest.shell("ls -A /keep", in: id, client: client) == "")
            // A failure is recorded, the stream stays in step: what came after it was applied.
            #expect(try await SupervisorTest.shell("cat /srv/app/after.txt", in: id, client: client) == "still applied")
        }
    }

    @Test("a path the dialect cannot carry is refused before anything is sent", arguments: [
        "relative/path", "/srv/app/new\nline", "/srv/app/nul\u{0}byte", "/srv/app/../etc/passwd", "/srv/./app", "/srv//app",
        "/srv/app/", "/",
    ])
    func pathsRefusedClientSide(_ path: String) throws {
        #expect(throws: LiveUpdateError.self) {
            try ControlChannel.check(.writeFile(containerPath: path, bytes: [], mode: 0o644))
        }
        #expect(throws: LiveUpdateError.self) { try ControlChannel.check(.remove(containerPath: path)) }
    }
}
