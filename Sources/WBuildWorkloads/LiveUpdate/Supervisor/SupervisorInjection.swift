import WBuildDocker

/// Puts the supervisor into a container before it starts, so `restart: "process"` workloads can
/// run under it. The container runtime calls `install` from its `beforeStart(containerID)` hook
/// (after create, before start), for containers created with a `SupervisorLaunch`'s entrypoint.
public enum SupervisorInjection {
    /// Copies `wbuild-init` to `/.wbuild/init` (mode 0755) and a fresh control secret to
    /// `/.wbuild/secret` (mode 0400, owned by the user the process runs as: the image's `USER`,
    /// resolved in its own /etc/passwd, so the supervisor can read it; `ControlSecrets`) in one
    /// `PUT /containers/{id}/archive`, which works on created, not yet started containers and
    /// needs nothing in the image.
    public static func install(into containerID: String, client: DockerClient) async throws(LiveUpdateError) {
        let binary = try await SupervisorBinary.contents()
        let owner = await ContainerUser.of(container: containerID, client: client)
        let secret = ControlSecrets.fresh(for: containerID, owner: owner)
        let archive: [UInt8]
        do {
            archive = try TarWriter.archive(secret.entries + [
                .file(".wbuild/init", contents: binary, executable: true),
            ])
        } catch {
            throw LiveUpdateError(.supervisorMissing, "cannot archive the supervisor", cause: error)
        }
        do {
            try await client.putArchive(containerID, path: "/", tar: archive)
        } catch {
            ControlSecrets.forget(containerID)
            throw LiveUpdateError(.syncFailed, "cannot copy the supervisor to /.wbuild/init", container: containerID, cause: error,
                                  hint: "check that the container exists and its root file system is writable")
        }
    }
}
