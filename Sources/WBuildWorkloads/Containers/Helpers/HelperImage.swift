import WBuildCore
import WBuildDocker

/// The image one of wbuild's static network helpers runs as PID 1: the binary alone on
/// `FROM scratch`, built through the engine from the bytes shipped with wbuild (so it works with
/// no registry and on a remote engine), tagged `<repository>:<first 16 hex of the binary's
/// SHA-256>`: a new wbuild with a changed helper gets a new tag, and an unchanged one finds its
/// image and builds nothing. Two helpers run this way: each workload's front door (`door`) and
/// the project's router (`router`).
struct HelperImage: Sendable {
    /// `wbuild/door`.
    let repository: String
    /// The binary's name in the image, at `/<executable>`: `wbuild-door`.
    let executable: String
    /// The label (value `1`) its images carry, so older ones can be found and removed.
    let label: String
    /// What the helper is, for errors: `front door`.
    let what: String

    static let door = HelperImage(repository: "wbuild/door", executable: "wbuild-door", label: ContainerLabels.door,
                                  what: "front door")
    static let router = HelperImage(repository: "wbuild/router", executable: "wbuild-router", label: ContainerLabels.router,
                                    what: "router")

    var dockerfile: String {
        """
        FROM scratch
        COPY \(executable) /\(executable)
        ENTRYPOINT ["/\(executable)"]

        """
    }

    /// The tag of the image that holds `binary`.
    func tag(for binary: [UInt8]) -> String {
        "\(repository):\(String(SHA256.hash(binary).hexString.prefix(16)))"
    }

    /// The tag of the image holding `binary`, built when the engine lacks it.
    func ensure(binary: [UInt8], client: DockerClient) async throws(NodeFailure) -> String {
        let tag = tag(for: binary)
        do {
            if try await client.inspectImage(tag) != nil { return tag }
            let context = try TarWriter.archive([
                .file("Dockerfile", contents: Array(dockerfile.utf8)),
                .file(executable, contents: binary, executable: true),
            ])
            try await client.build(contextTar: context, options: BuildOptions(tags: [tag], labels: [label: "1"]))
            await removeOlderImages(keeping: tag, client: client)
        } catch {
            if let docker = error as? DockerError {
                throw NodeFailure("building the \(what) image \(tag): \(docker.message)", hint: docker.hint)
            }
            throw NodeFailure("building the \(what) image \(tag): \(error)")
        }
        return tag
    }

    /// Removes this helper's images of earlier wbuild builds (a new binary, a new tag), except
    /// those a container still uses: the engine refuses those, and they go once their containers
    /// are replaced and a later wbuild builds again. Runs only after a build, so rarely.
    func removeOlderImages(keeping tag: String, client: DockerClient) async {
        guard let images = try? await client.listImages(labelFilter: ["\(label)=1"]) else { return }
        for image in images where !image.repoTags.contains(tag) {
            try? await client.removeImage(image.id)
        }
    }
}

/// The front doors' image (`HelperImage.door`).
enum DoorImage {
    static let repository = HelperImage.door.repository

    /// The tag of the door image for this wbuild, built when the engine lacks it. `workload`
    /// is the one that needs it, for errors.
    static func ensure(client: DockerClient, workload: String) async throws(NodeFailure) -> String {
        let binary: [UInt8]
        do {
            binary = try await DoorBinary.contents(workload: workload)
        } catch {
            throw error.nodeFailure
        }
        return try await HelperImage.door.ensure(binary: binary, client: client)
    }

    static func removeOlderDoorImages(keeping tag: String, client: DockerClient) async {
        await HelperImage.door.removeOlderImages(keeping: tag, client: client)
    }
}
