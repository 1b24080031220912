import WBuildCore
import WBuildDocker
import WBuildWorkloads

/// A published image with wbuild's static supervisor baked in at `/.wbuild/init` as one more
/// layer, so a Swarm healthcheck can run `/.wbuild/init probe http 8080 /healthz` in an image
/// that holds nothing else (FROM scratch): no shell, no wget.
///
/// Content-addressed like publishing: the tag is `<tag>-probe-<12 hex of the supervisor>`, so
/// the registry answers whether it exists (same digest, nothing built or pushed).
struct SwarmProbeImage {
    /// The supervisor's bytes and the 12 hex of its hash that name the probe tags.
    struct Supervisor: Sendable {
        var binary: [UInt8]
        var hash: String

        /// Read and hashed once per deploy (about 0.7 MB; every probed workload bakes the same).
        static func load() async throws(WBuildError) -> Supervisor {
            do {
                let binary = try await SupervisorBinary.contents()
                return Supervisor(binary: binary, hash: String(SHA256.hash(binary).hexString.prefix(12)))
            } catch {
                throw WBuildError(.failed, "cannot read wbuild's supervisor to bake the health probe in: \(error)",
                                  hint: "reinstall wbuild, or set \(SupervisorBinary.pathVariable) to the wbuild-init binary")
            }
        }
    }

    let client: DockerClient
    let logins: RegistryLogins
    let supervisor: Supervisor

    /// `repository@sha256:…` of `base` (a pinned `repository@sha256:…`) plus the supervisor,
    /// pushed to `repository` under `tag`-probe-….
    func bake(base: String, repository: String, tag: String, registryHost: String) async throws(WBuildError) -> String {
        let binary = supervisor.binary
        let probeTag = "\(tag.prefix(100))-probe-\(supervisor.hash)"
        do {
            let auth = try await logins.auth(for: registryHost)
            if let digest = try await client.registryDigest(repository: repository, tag: probeTag, auth: auth) {
                return "\(repository)@\(digest)"
            }
            let dockerfile = "FROM \(base)\nCOPY init /.wbuild/init\nLABEL dev.wbuild.probe=\"1\"\n"
            let context = try TarWriter.archive([
                .file("Dockerfile", contents: Array(dockerfile.utf8)),
                .file("init", contents: binary, executable: true),
            ])
            try await client.build(contextTar: context, options: BuildOptions(tags: ["\(repository):\(probeTag)"]))
            let digest = try await client.pushImage(repository, tag: probeTag, auth: auth)
            return "\(repository)@\(digest)"
        } catch let error as WBuildError {
            throw error
        } catch {
            throw WBuildError(.failed, "cannot bake wbuild's health probe into \(base): \(error)",
                              hint: "check that the registry \(registryHost) takes pushes (wbuild publish works) and the engine can build")
        }
    }
}
