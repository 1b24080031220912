import WBuildCore
import WBuildDocker

/// A `publish:NAME` node: puts workload NAME's built image into the registry under its
/// destination's tags, through the engine (`POST /images/{name}/push`).
///
/// The registry is the truth, not `.wbuild/`: before pushing, wbuild asks the registry for the
/// primary tag (`DockerClient.registryDigest`: itself for a loopback registry, else the
/// engine's distribution inspect). Present with a digest this engine's image
/// already carries (its `RepoDigests`, from an earlier push) means there is nothing to do — also
/// after `rm -rf .wbuild`; present with another digest is a conflict, never overwritten; absent
/// means tag and push, the digest read from the push stream. Extra tags (`latest`) follow the
/// primary one and never decide a skip. The output is `repo:tag@sha256:…`, which is what a
/// rendering or a deploy pins.
public final class PublishRule: NodeRule {
    public let destination: PublishDestination
    let client: DockerClient
    public let credentials: RegistryLogins

    public init(destination: PublishDestination, client: DockerClient, credentials: RegistryLogins) {
        self.destination = destination
        self.client = client
        self.credentials = credentials
    }

    /// The node kind, `publish`.
    public static let kind = "publish"

    public static func nodeID(workload: String) -> NodeID { NodeID(kind: kind, name: workload) }

    var imageID: NodeID { NodeID(kind: "image", name: destination.workload) }

    public func evaluate(_ context: NodeContext) async throws(NodeFailure) -> Evaluation {
        var builder = FingerprintBuilder(kind: "publish")
        builder.add("repository", destination.repository)
        builder.add("tag", destination.tag.description)
        builder.add("extraTags", destination.extraTags.joined(separator: ","))
        return Evaluation(fingerprint: builder.finish())
    }

    public func checkOutput(_ record: NodeRecord, _ context: NodeContext) async -> OutputCheck {
        guard let tag = record.output.fields["tag"], let digest = record.output.fields["digest"] else {
            return .missing("no published digest recorded")
        }
        let reference = "\(destination.repository):\(tag)"
        do {
            let auth = try await credentials.auth(for: destination.registryHost)
            switch try await client.registryDigest(repository: destination.repository, tag: tag, auth: auth) {
            case nil: return .missing("the registry no longer has \(reference)")
            case let found? where found != digest: return .missing("\(reference) in the registry now points at \(found)")
            default: return .present
            }
        } catch {
            return .missing("cannot ask the registry for \(reference): \(error)")
        }
    }

    public func existingOutput(_ context: NodeContext, _ evaluation: Evaluation) async -> (NodeOutput, String)? {
        guard let image = try? localImage(context) else { return nil }
        let tag = destination.primaryTag(localImage: image.tag)
        do {
            let auth = try await credentials.auth(for: destination.registryHost)
            guard let digest = try await client.registryDigest(repository: destination.repository, tag: tag, auth: auth),
                  let info = try await client.inspectImage(image.id),
                  info.repoDigests.contains("\(destination.repository)@\(digest)") else { return nil }
            for extra in destination.extraTags {
                guard try await client.registryDigest(repository: destination.repository, tag: extra, auth: auth) == digest else { return nil }
            }
            return (output(image: image, tag: tag, digest: digest, pushed: false), "registry has \(digest)")
        } catch {
            return nil  // `run` asks again and says what is wrong
        }
    }

    public func run(_ context: NodeContext, _ evaluation: Evaluation) async throws(NodeFailure) -> NodeOutput {
        let image = try localImage(context)
        let tag = destination.primaryTag(localImage: image.tag)
        let reference = "\(destination.repository):\(tag)"
        let auth: RegistryAuth
        do {
            auth = try await credentials.auth(for: destination.registryHost)
        } catch {
            throw NodeFailure(error.message, hint: error.hint)
        }
        do {
            let digest: String
            var pushed = false
            if let present = try await client.registryDigest(repository: destination.repository, tag: tag, auth: auth) {
                let info = try await client.inspectImage(image.id)
                guard info?.repoDigests.contains("\(destination.repository)@\(present)") == true else {
                    throw conflict(reference: reference, registryDigest: present, image: image)
                }
                context.log("\(reference): the registry has \(present)")
                digest = present
            } else {
                digest = try await push(image: image, tag: tag, auth: auth, context)
                pushed = true
            }
            for extra in destination.extraTags {
                let extraReference = "\(destination.repository):\(extra)"
                if try await client.registryDigest(repository: destination.repository, tag: extra, auth: auth) == digest { continue }
                let extraDigest = try await push(image: image, tag: extra, auth: auth, context)
                if extraDigest != digest {
                    context.events.emit(.warning("\(extraReference) was pushed as \(extraDigest), not \(digest) like \(reference)"))
                }
                pushed = true
            }
            return output(image: image, tag: tag, digest: digest, pushed: pushed)
        } catch let failure as NodeFailure {
            throw failure
        } catch let error as DockerError {
            throw failure(error, reference: reference, auth: auth)
        } catch {
            throw NodeFailure("publishing \(reference) failed: \(error)")
        }
    }

    /// Tags the local image `repository:tag` and pushes it, retrying transient failures.
    private func push(image: LocalImage, tag: String, auth: RegistryAuth, _ context: NodeContext) async throws -> String {
        let what = "\(destination.repository):\(tag)"
        try await client.tagImage(image.id, repository: destination.repository, tag: tag)
        let meter = context.progressMeter()
        let ticking = meter.startTicking()
        defer { ticking.cancel() }
        let tally = PushProgressTally(meter: meter, what: what)
        let digest = try await PushRetry.run(onRetry: { message, attempt in
            context.events.emit(.warning("pushing \(what) failed (\(message)); trying again (\(attempt + 1) of \(PushRetry.pauses.count + 1))"))
        }) {
            try await client.pushImage(destination.repository, tag: tag, auth: auth) { tally.record($0) }
        }
        return digest
    }

    /// The built image this node publishes, from its `image:NAME` input.
    struct LocalImage: Sendable {
        var tag: String
        var id: String
    }

    private func localImage(_ context: NodeContext) throws(NodeFailure) -> LocalImage {
        guard let fields = context.inputOutputs[imageID]?.fields, let tag = fields["image"], let id = fields["imageId"] else {
            throw NodeFailure("\(imageID) has no image to publish", hint: "run `wbuild once \(destination.workload)` and look at its error")
        }
        return LocalImage(tag: tag, id: id)
    }

    private func output(image: LocalImage, tag: String, digest: String, pushed: Bool) -> NodeOutput {
        let reference = "\(destination.repository):\(tag)@\(digest)"
        return NodeOutput(hash: reference, fields: [
            "ref": reference, "digest": digest, "repository": destination.repository, "tag": tag,
            "extraTags": destination.extraTags.joined(separator: ","), "image": image.tag, "imageId": image.id,
            "pushed": pushed ? "true" : "false",
        ])
    }

    private func conflict(reference: String, registryDigest: String, image: LocalImage) -> NodeFailure {
        NodeFailure("\(reference) is already in the registry as \(registryDigest), which is not \(destination.workload)'s image "
                    + "\(image.tag) (\(Self.short(image.id))); wbuild does not overwrite a tag",
                    hint: "publish under another tag (publish.tag: \"fingerprint\" names each build by its content), "
                        + "or delete the tag from the registry first if the old image may go")
    }

    /// An engine or registry failure in words that say which registry, what went wrong and what to do.
    private func failure(_ error: DockerError, reference: String, auth: RegistryAuth) -> NodeFailure {
        let host = destination.registryHost
        if error.kind == .engineUnreachable { return NodeFailure(error.message, hint: error.hint) }
        switch DockerClient.registryProblem(in: error.message) {
        case .unreachable:
            return NodeFailure("cannot reach the registry \(host) to publish \(reference): \(error.message)",
                               hint: "start the registry at \(host), or point publish.registry (or --registry) at one that runs")
        case .unauthorized:
            return NodeFailure("the registry \(host) refused \(auth.isAnonymous ? "an anonymous push" : auth.description) "
                               + "for \(reference): \(error.message)",
                               hint: "run `docker login \(host)` (wbuild reads the Docker CLI's credentials)")
        case .notFound, .other:
            return NodeFailure("publishing \(reference) failed: \(error.message)", hint: error.hint)
        }
    }

    static func short(_ id: String) -> String {
        let hex = id.hasPrefix("sha256:") ? id.dropFirst(7) : Substring(id)
        return "sha256:" + hex.prefix(12)
    }
}
