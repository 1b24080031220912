import WBuildCore
import WBuildDocker

/// The image front doors run: `wbuild-door` alone on `FROM scratch`, built through the engine
/// from the binary shipped with wbuild (so it works with no registry and on a remote engine),
/// tagged `wbuild/door:<first 16 hex of the binary's SHA-256>`: a new wbuild with a changed
/// door gets a new tag, and an unchanged one finds its image and builds nothing.
enum DoorImage {
    static let repository = "wbuild/door"

    static let dockerfile = """
        FROM scratch
        COPY wbuild-door /wbuild-door
        ENTRYPOINT ["/wbuild-door"]

        """

    /// The tag of the door image for this wbuild, built when the engine lacks it. `workload`
    /// is the one that needs it, for errors.
    static func ensure(client: DockerClient, workload: String) async throws(NodeFailure) -> String {
        let binary: [UInt8]
        do {
            binary = try await DoorBinary.contents(workload: workload)
        } catch {
            throw error.nodeFailure
        }
        let tag = "\(repository):\(String(SHA256.hash(binary).hexString.prefix(16)))"
        do {
            if try await client.inspectImage(tag) != nil { return tag }
            let context = try TarWriter.archive([
                .file("Dockerfile", contents: Array(dockerfile.utf8)),
                .file("wbuild-door", contents: binary, executable: true),
            ])
            try await client.build(contextTar: context, options: BuildOptions(tags: [tag], labels: [ContainerLabels.door: "1"]))
            await removeOlderDoorImages(keeping: tag, client: client)
        } catch {
            if let docker = error as? DockerError {
                throw NodeFailure("building the front door image \(tag): \(docker.message)", hint: docker.hint)
            }
            throw NodeFailure("building the front door image \(tag): \(error)")
        }
        return tag
    }

    /// Removes the door images of earlier wbuild builds (a new door binary, a new tag), except
    /// those a door container still uses: the engine refuses those, and they go once their
    /// doors are replaced and a later wbuild builds again. Runs only after a build, so rarely.
    static func removeOlderDoorImages(keeping tag: String, client: DockerClient) async {
        guard let images = try? await client.listImages(labelFilter: ["\(ContainerLabels.door)=1"]) else { return }
        for image in images where !image.repoTags.contains(tag) {
            try? await client.removeImage(image.id)
        }
    }
}
