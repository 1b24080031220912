import WBuildSystem
import WBuildDocker

/// Carries a batch's `SyncOperation`s through the engine alone, for containers without a
/// reachable supervisor and for large batches: removes with `docker exec /.wbuild/init rm …`
/// (the supervisor binary's `rm` mode, which never follows a symlink nor crosses a mount; it is
/// copied in first when the image lacks it, so no shell or `rm` is needed), then every
/// directory (with its mode), file and symlink (as a link) as one tar extracted at `/` with
/// `PUT /containers/{id}/archive`. The operations arrive ordered (`HostSyncReader`): removes
/// first, then parents before children; the tar keeps that order.
struct EngineArchiveSync: Sendable {
    let client: DockerClient

    /// At most this many paths per `rm` exec, to stay far below the kernel's argument limit.
    static let removeChunk = 500

    /// Returns the bytes of file contents sent.
    func apply(_ operations: [SyncOperation], containerID: String) async throws(LiveUpdateError) -> Int {
        var removes: [String] = []
        var entries: [TarEntry] = []
        var bytes = 0
        for operation in operations {
            let path = String(operation.containerPath.drop { $0 == "/" })
            switch operation {
            case .remove(let containerPath):
                removes.append(containerPath)
            case .makeDirectory(_, let mode):
                guard !path.isEmpty else { continue }
                entries.append(TarEntry(path: path, kind: .directory, header: TarHeaderFields(mode: mode)))
            case .writeFile(_, let contents, let mode):
                bytes += contents.count
                entries.append(TarEntry(path: path, kind: .file(.bytes(contents)), header: TarHeaderFields(mode: mode)))
            case .makeSymlink(_, let target):
                entries.append(TarEntry(path: path, kind: .symlink(target: target), header: TarHeaderFields(mode: 0o777)))
            }
        }
        var start = 0
        while start < removes.count {
            let chunk = Array(removes[start..<min(start + Self.removeChunk, removes.count)])
            try await remove(chunk, containerID: containerID)
            start += chunk.count
        }
        guard !entries.isEmpty else { return 0 }
        let archived = entries
        let tar: [UInt8]
        do {
            tar = try await BlockingWork.run(name: "wbuild-live-update-tar") { try TarWriter.archive(archived) }
        } catch {
            throw LiveUpdateError(.syncFailed, "cannot archive \(entries.count) changed paths", container: containerID, cause: error)
        }
        do {
            try await client.putArchive(containerID, path: "/", tar: tar)
        } catch {
            throw LiveUpdateError(.syncFailed, "the engine could not extract \(entries.count) changed paths", container: containerID,
                                  cause: error, hint: "check that the container is running and the target directories are writable")
        }
        return bytes
    }

    /// Removes `paths` through the supervisor binary's `rm` mode, installing it when missing.
    private func remove(_ paths: [String], containerID: String) async throws(LiveUpdateError) {
        var result = try await execRemove(paths, containerID: containerID)
        if Self.isMissingBinary(result) {
            try await SupervisorInjection.install(into: containerID, client: client)
            result = try await execRemove(paths, containerID: containerID)
        }
        guard result.exitCode == 0 else {
            throw LiveUpdateError(.syncFailed, "could not delete \(paths.count) paths (first: \(paths.first ?? ""))",
                                  container: containerID, exitCode: result.exitCode, output: result.stdoutText + result.stderrText)
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
}
