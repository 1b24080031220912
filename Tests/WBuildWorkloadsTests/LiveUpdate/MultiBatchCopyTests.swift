import Foundation
import Testing
import WBuildDocker
import WBuildTestSupport
@testable import WBuildWorkloads

/// A copy spread over several batches (`tar x` of 5,000 files, `cp -a` of a tree) used to leave
/// files missing in the container: each directory's own event (its mode and times set after
/// its contents, as tar and cp -a do) came in a later batch and removed the directory there.
/// Through the real watcher, planner, executor and container, every file must arrive.
@Suite("A copy over several batches arrives whole")
struct MultiBatchCopyTests {
    enum Copy: String, CaseIterable, Sendable { case tarExtract = "tar x", copyArchive = "cp -a" }

    /// 100 directories of 50 files (some in a nested directory), modes varied, and empty directories.
    static func makeSource(_ directory: TemporaryDirectory) throws -> String {
        let root = directory.url("source")
        for dir in 0..<100 {
            for file in 0..<50 {
                let path = file % 10 == 0 ? "source/d\(dir)/nested/f\(file).txt" : "source/d\(dir)/f\(file).txt"
                try directory.write(path, "directory \(dir), file \(file)\n")
            }
            try FileManager.default.createDirectory(atPath: directory.url("source/d\(dir)/empty"), withIntermediateDirectories: true)
            _ = chmod(directory.url("source/d\(dir)"), dir % 3 == 0 ? 0o750 : 0o755)
        }
        return root
    }

    @Test("5,000 files copied in over several batches all arrive", arguments: Copy.allCases, SyncTransport.allCases)
    func aLargeCopyArrivesWhole(copy: Copy, transport: SyncTransport) async throws {
        let client = try DockerClient()
        let project = try LiveUpdateProject()
        let scratch = try TemporaryDirectory(prefix: "wbuild-copy-source")
        defer { project.directory.remove(); scratch.remove() }
        try FileManager.default.createDirectory(atPath: project.directory.url("app"), withIntermediateDirectories: true)
        let source = try Self.makeSource(scratch)
        let tarball = scratch.url("source.tar")
        try await runHostCommand(["/usr/bin/tar", "-cf", tarball, "-C", source, "."])
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage, command: ["sleep", "3600"],
                                                     supervised: true) { id in
            var observer: WatchedSync?
            try await WatchedSync.run(project, transport: transport, into: id, client: client) { sync in
                observer = sync
                switch copy {
                case .tarExtract:
                    try FileManager.default.createDirectory(atPath: project.directory.url("app/tree"), withIntermediateDirectories: true)
                    try await runHostCommand(["/usr/bin/tar", "-xf", tarball, "-C", project.directory.url("app/tree")])
                case .copyArchive:
                    try await runHostCommand(["/bin/cp", "-a", source, project.directory.url("app/tree")])
                }
                let host = ContainerTree.describe(try HostTreeSnapshot.read(project.directory.url("app")))
                #expect(host.values.filter { $0.hasPrefix("file") }.count == 5_000)
                let arrived = try await eventually(within: .seconds(90), every: .milliseconds(500)) {
                    guard sync.failures.isEmpty else { return true }
                    return try await ContainerTree.read("/srv/app", in: id, client: client) == host
                }
                let container = try await ContainerTree.read("/srv/app", in: id, client: client)
                #expect(sync.failures == [])
                #expect(arrived && container == host,
                        "missing or different: \(ContainerTree.differences(host: host, container: container))")
                #expect(container.values.filter { $0.hasPrefix("file") }.count == 5_000)
            }
            // The copy really was spread over several batches.
            #expect((observer?.batchesApplied ?? 0) >= 2)
        }
    }
}
