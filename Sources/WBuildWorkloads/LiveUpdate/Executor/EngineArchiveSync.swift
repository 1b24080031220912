import WBuildSystem
import WBuildDocker

/// Syncs files through the engine alone, for containers without a reachable supervisor: deletes
/// with `docker exec /.wbuild/init rm …` (copying the supervisor binary in first when the image
/// lacks it, so no shell or `rm` is needed), then every copy as one tar extracted at `/` with
/// `PUT /containers/{id}/archive` (the engine creates missing parent directories).
struct EngineArchiveSync: Sendable {
    let client: DockerClient

    /// Returns the bytes of file contents sent.
    func sync(copies: [FileCopy], deletions: [FileDeletion], containerID: String) async throws(LiveUpdateError) -> Int {
        let archive: (tar: [UInt8], vanished: [String], bytes: Int)
        do {
            archive = try await BlockingWork.run(name: "wbuild-live-update-tar") { try Self.archive(copies) }
        } catch let error as LiveUpdateError {
            throw error
        } catch {
            throw LiveUpdateError(.syncFailed, "cannot archive the changed files", container: containerID, cause: error)
        }
        let paths = deletions.map(\.containerPath) + archive.vanished
        if !paths.isEmpty { try await remove(paths, containerID: containerID) }
        guard copies.count > archive.vanished.count else { return 0 }
        do {
            try await client.putArchive(containerID, path: "/", tar: archive.tar)
        } catch {
            throw LiveUpdateError(.syncFailed, "the engine could not extract \(copies.count) files", container: containerID,
                                  cause: error, hint: "check that the container is running and the target directories are writable")
        }
        return archive.bytes
    }

    /// Removes `paths` through the supervisor binary's `rm` mode, installing it when missing.
    private func remove(_ paths: [String], containerID: String) async throws(LiveUpdateError) {
        var result = try await execRemove(paths, containerID: containerID)
        if Self.isMissingBinary(result) {
            try await SupervisorInjection.install(into: containerID, client: client)
            result = try await execRemove(paths, containerID: containerID)
        }
        guard result.exitCode == 0 else {
            throw LiveUpdateError(.syncFailed, "could not delete \(paths.count) paths", container: containerID,
                                  exitCode: result.exitCode, output: result.stdoutText + result.stderrText)
        }
    }

    private func execRemove(_ paths: [String], containerID: String) async throws(LiveUpdateError) -> ExecResult {
        do {
            return try await client.exec(containerID, command: [SupervisorBinary.containerPath, "rm"] + paths)
        } catch {
            throw LiveUpdateError(.syncFailed, "could not delete \(paths.count) paths", container: containerID, cause: error)
        }
    }

    /// Exit 126/127 with the runtime's "no such file" means the executable is not in the image.
    static func isMissingBinary(_ result: ExecResult) -> Bool {
        guard result.exitCode == 126 || result.exitCode == 127 else { return false }
        let output = (result.stdoutText + result.stderrText).lowercased()
        return output.contains("no such file") || output.contains("not found")
    }

    /// The tar of every copy whose host file still exists, the container paths of those that
    /// vanished since planning (to delete instead), and the bytes of contents.
    private static func archive(_ copies: [FileCopy]) throws -> (tar: [UInt8], vanished: [String], bytes: Int) {
        var entries: [TarEntry] = []
        var vanished: [String] = []
        var bytes = 0
        for copy in copies {
            guard let file = try HostFile.read(copy.hostPath) else {
                vanished.append(copy.containerPath)
                continue
            }
            bytes += file.bytes.count
            entries.append(TarEntry(path: String(copy.containerPath.drop { $0 == "/" }), kind: .file(.bytes(file.bytes)),
                                    header: TarHeaderFields(mode: file.mode)))
        }
        return (try TarWriter.archive(entries), vanished, bytes)
    }
}
