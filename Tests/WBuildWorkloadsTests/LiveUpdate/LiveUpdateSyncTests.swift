import Foundation
import Testing
import WBuildDocker
import WBuildTestSupport
@testable import WBuildWorkloads

@Suite("Live update sync into running containers")
struct LiveUpdateSyncTests {
    @Test("new, modified, deleted file and deleted directory arrive", arguments: SyncTransport.allCases)
    func syncsNewModifiedAndDeletedFiles(transport: SyncTransport) async throws {
        let client = try DockerClient()
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        let executor = LiveUpdateExecutor(client: client, transport: transport)
        let rules = project.rules()
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage,
                                                     command: ["sleep", "3600"], supervised: true) { id in
            let replica = [LiveUpdateReplica(containerID: id, supervised: true)]
            try project.directory.write("app/index.html", "v1")
            try project.directory.write("app/old.txt", "old")
            try project.directory.write("app/lib/a.js", "a")
            try project.directory.write("app/lib/deep/b.js", "b")
            let first = try await executor.apply(try project.plan(
                ["app/index.html", "app/old.txt", "app/lib/a.js", "app/lib/deep/b.js"].map { ChangedFile(path: $0, exists: true) },
                rules: rules), to: replica)
            #expect(first.replicas.map(\.transport) == [transport])
            #expect(try await LiveUpdateTestEngine.read("/srv/app/index.html", in: id, client: client) == "v1")
            #expect(try await LiveUpdateTestEngine.read("/srv/app/lib/deep/b.js", in: id, client: client) == "b")

            try project.directory.write("app/index.html", "v2")
            try project.directory.write("app/new/fresh.txt", "fresh")
            try project.remove("app/old.txt")
            try project.remove("app/lib")
            _ = try await executor.apply(try project.plan([
                ChangedFile(path: "app/index.html", exists: true), ChangedFile(path: "app/new/fresh.txt", exists: true),
                ChangedFile(path: "app/old.txt", exists: false), ChangedFile(path: "app/lib", exists: false),
            ], rules: rules), to: replica)
            #expect(try await LiveUpdateTestEngine.read("/srv/app/index.html", in: id, client: client) == "v2")
            #expect(try await LiveUpdateTestEngine.read("/srv/app/new/fresh.txt", in: id, client: client) == "fresh")
            #expect(try await LiveUpdateTestEngine.exists("/srv/app/old.txt", in: id, client: client) == false)
            #expect(try await LiveUpdateTestEngine.exists("/srv/app/lib", in: id, client: client) == false)
        }
    }

    @Test("an editor's atomic save (temp file renamed over) syncs the new content", arguments: SyncTransport.allCases)
    func syncsAnAtomicSave(transport: SyncTransport) async throws {
        let client = try DockerClient()
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        try project.directory.write("app/page.html", "before")
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage,
                                                     command: ["sleep", "3600"], supervised: true) { id in
            let executor = LiveUpdateExecutor(client: client, transport: transport)
            let replica = [LiveUpdateReplica(containerID: id, supervised: true)]
            _ = try await executor.apply(try project.plan([ChangedFile(path: "app/page.html", exists: true)],
                                                          rules: project.rules()), to: replica)
            // What an editor does: write a temporary file, rename it over the original.
            try project.directory.write("app/.page.html.swp", "after")
            #expect(rename(project.directory.url("app/.page.html.swp"), project.directory.url("app/page.html")) == 0)
            let batch = [ChangedFile(path: "app/.page.html.swp", exists: false), ChangedFile(path: "app/page.html", exists: true)]
            _ = try await executor.apply(try project.plan(batch, rules: project.rules()), to: replica)
            #expect(try await LiveUpdateTestEngine.read("/srv/app/page.html", in: id, client: client) == "after")
            #expect(try await LiveUpdateTestEngine.exists("/srv/app/.page.html.swp", in: id, client: client) == false)
        }
    }

    @Test("an executable file keeps its executable bit", arguments: SyncTransport.allCases)
    func keepsTheExecutableBit(transport: SyncTransport) async throws {
        let client = try DockerClient()
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        try project.directory.write("app/run.sh", "#!/bin/sh\necho hi from script\n")
        chmod(project.directory.url("app/run.sh"), 0o755)
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage,
                                                     command: ["sleep", "3600"], supervised: true) { id in
            _ = try await LiveUpdateExecutor(client: client, transport: transport).apply(
                try project.plan([ChangedFile(path: "app/run.sh", exists: true)], rules: project.rules()),
                to: [LiveUpdateReplica(containerID: id, supervised: true)])
            let result = try await client.exec(id, command: ["/srv/app/run.sh"])
            #expect(result.stdoutText == "hi from script\n")
        }
    }

    @Test("a 500-file burst travels as one batch", arguments: SyncTransport.allCases)
    func syncsA500FileBurst(transport: SyncTransport) async throws {
        let client = try DockerClient()
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        var changes: [ChangedFile] = []
        for index in 0..<500 {
            let path = "app/burst/dir\(index % 10)/file\(index).txt"
            try project.directory.write(path, "content \(index)")
            changes.append(ChangedFile(path: path, exists: true))
        }
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage,
                                                     command: ["sleep", "3600"], supervised: true) { id in
            let timeline = try await LiveUpdateExecutor(client: client, transport: transport, largeBatchFiles: nil).apply(
                try project.plan(changes, rules: project.rules()), to: [LiveUpdateReplica(containerID: id, supervised: true)])
            #expect(timeline.files == 500)
            #expect(timeline.replicas.first?.transport == transport)
            let count = try await client.exec(id, command: ["sh", "-c", "find /srv/app/burst -type f | wc -l"])
            #expect(count.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "500")
            #expect(try await LiveUpdateTestEngine.read("/srv/app/burst/dir7/file437.txt", in: id, client: client) == "content 437")
        }
    }

    @Test("an unsupervised container is synced through the engine, deletes included")
    func syncsAnUnsupervisedContainerThroughTheEngine() async throws {
        let client = try DockerClient()
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        try project.directory.write("app/keep.txt", "keep")
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage,
                                                     command: ["sleep", "3600"], supervised: false) { id in
            _ = try await client.exec(id, command: ["sh", "-c", "mkdir -p /srv/app/gone && echo x > /srv/app/gone/x"])
            let timeline = try await LiveUpdateExecutor(client: client).apply(try project.plan(
                [ChangedFile(path: "app/keep.txt", exists: true), ChangedFile(path: "app/gone", exists: false)],
                rules: project.rules()), to: [LiveUpdateReplica(containerID: id, supervised: false)])
            #expect(timeline.replicas.first?.transport == .engineArchive)
            #expect(try await LiveUpdateTestEngine.read("/srv/app/keep.txt", in: id, client: client) == "keep")
            #expect(try await LiveUpdateTestEngine.exists("/srv/app/gone", in: id, client: client) == false)
        }
    }

    @Test("a batch above the large-batch limit goes through the engine even when the supervisor is preferred")
    func sendsLargeBatchesThroughTheEngine() async throws {
        let client = try DockerClient()
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        let changes = try (0..<3).map { index in
            try project.directory.write("app/f\(index).txt", "\(index)")
            return ChangedFile(path: "app/f\(index).txt", exists: true)
        }
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage,
                                                     command: ["sleep", "3600"], supervised: true) { id in
            let timeline = try await LiveUpdateExecutor(client: client, transport: .supervisor, largeBatchFiles: 2).apply(
                try project.plan(changes, rules: project.rules()), to: [LiveUpdateReplica(containerID: id, supervised: true)])
            #expect(timeline.replicas.first?.transport == .engineArchive)
            #expect(try await LiveUpdateTestEngine.read("/srv/app/f2.txt", in: id, client: client) == "2")
        }
    }

    @Test("every replica gets the update")
    func updatesAllReplicas() async throws {
        let client = try DockerClient()
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        try project.directory.write("app/page.html", "replicated")
        let plan = try project.plan([ChangedFile(path: "app/page.html", exists: true)], rules: project.rules(restart: .process))
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage,
                                                     command: ["sleep", "3600"], supervised: true) { first in
            try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage,
                                                         command: ["sleep", "3600"], supervised: true) { second in
                let timeline = try await LiveUpdateExecutor(client: client).apply(
                    plan, to: [LiveUpdateReplica(containerID: first, supervised: true),
                               LiveUpdateReplica(containerID: second, supervised: true)])
                #expect(timeline.replicas.map(\.containerID) == [first, second])
                #expect(timeline.replicas.allSatisfy { ($0.processID ?? 0) > 0 })
                #expect(timeline.processBackMs != nil)
                for id in [first, second] {
                    #expect(try await LiveUpdateTestEngine.read("/srv/app/page.html", in: id, client: client) == "replicated")
                }
            }
        }
    }
}
