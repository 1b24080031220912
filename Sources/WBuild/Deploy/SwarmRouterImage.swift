import WBuildCore
import WBuildDocker
import WBuildWorkloads

/// `wbuild-router` as an image a swarm's nodes pull: `FROM scratch` with the static binary as
/// its entrypoint, pushed beside the project's images (`<registry>/<path>/wbuild-router`),
/// tagged by the binary's hash so the registry says whether it is there already.
struct SwarmRouterImage {
    let client: DockerClient
    let logins: RegistryLogins

    /// `repository@sha256:…` of the router image in `repository`.
    func ensure(repository: String, registryHost: String) async throws(WBuildError) -> String {
        let binary: [UInt8]
        do {
            binary = try await RouterBinary.contents()
        } catch {
            throw WBuildError(.failed, "cannot read wbuild's router to run the routes on the swarm: \(error)",
                              hint: "reinstall wbuild, or set \(RouterBinary.pathVariable) to the wbuild-router binary")
        }
        let tag = "router-\(SHA256.hash(binary).hexString.prefix(12))"
        do {
            let auth = try await logins.auth(for: registryHost)
            if let digest = try await client.registryDigest(repository: repository, tag: tag, auth: auth) {
                return "\(repository)@\(digest)"
            }
            let dockerfile = "FROM scratch\nCOPY wbuild-router /wbuild-router\nENTRYPOINT [\"/wbuild-router\"]\nLABEL dev.wbuild.router=\"1\"\n"
            let context = try TarWriter.archive([
                .file("Dockerfile", contents: Array(dockerfile.utf8)),
                .file("wbuild-router", contents: binary, executable: true),
            ])
            try await client.build(contextTar: context, options: BuildOptions(tags: ["\(repository):\(tag)"]))
            let digest = try await client.pushImage(repository, tag: tag, auth: auth)
            return "\(repository)@\(digest)"
        } catch let error as WBuildError {
            throw error
        } catch {
            throw WBuildError(.failed, "cannot push wbuild's router image to \(repository): \(error)",
                              hint: "check that the registry \(registryHost) takes pushes (wbuild publish works) and the engine can build")
        }
    }

    /// Beside a published image: `127.0.0.1:5000/shop/api` → `127.0.0.1:5000/shop/wbuild-router`.
    static func repository(besides published: String) -> String {
        guard let slash = published.lastIndex(of: "/") else { return "wbuild-router" }
        return published[..<slash] + "/wbuild-router"
    }
}
