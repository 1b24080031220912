import Foundation
import WBuildCore
import WBuildDocker
import WBuildFiles
import WBuildSpec
import WBuildSystem

/// An `image:NAME` node built from a Dockerfile through the Docker Engine API.
///
/// Its fingerprint covers the Dockerfile, build args, secret build args (as keyed digests, see
/// `FingerprintKey`), target, the context after `.dockerignore`
/// (through its source node's tree hash: paths, kinds, modes, contents, link targets, and here
/// which of its files are hard links of one another) and upstream outputs. The image is tagged
/// `wbuild/<project>-<workload>:<first 16 hex>` and labelled with the full fingerprint; when the
/// engine already has that tag the build is skipped without sending a context. Build output
/// streams as it happens; a failure shows the failing step, the engine's message, the output
/// and exit code (`ImageBuildFailure`).
public final class ImageBuildRule: NodeRule {
    public let definition: ImageDefinition
    let source: SourceRule
    let client: DockerClient

    public init(_ definition: ImageDefinition, source: SourceRule, client: DockerClient) {
        self.definition = definition
        self.source = source
        self.client = client
    }

    public func evaluate(_ context: NodeContext) async throws(NodeFailure) -> Evaluation {
        if !definition.projectRoot.isEmpty,
           let why = ProjectPathCheck.escape(of: definition.dockerfile, root: definition.projectRoot) {
            throw NodeFailure("the Dockerfile \(definition.dockerfile) is not in the project: \(why); it was not read",
                              hint: "put the Dockerfile inside the project (workloads.\(definition.workload).build.dockerfile)")
        }
        let dockerfile: [UInt8]
        do {
            guard let bytes = try AtomicFile.read(definition.dockerfile) else {
                throw NodeFailure("no Dockerfile at \(definition.dockerfile)",
                                  hint: "create it, or point workloads.\(definition.workload).build.dockerfile at it")
            }
            dockerfile = bytes
        } catch let error as NodeFailure {
            throw error
        } catch {
            throw NodeFailure("cannot read \(definition.dockerfile): \(error)")
        }
        var builder = FingerprintBuilder(kind: "image")
        builder.add("dockerfile.path", definition.dockerfileInContext ?? "(outside the context)")
        builder.add("dockerfile", bytes: dockerfile)
        builder.add("args", pairs: definition.buildArgs.sorted { $0.key < $1.key })
        let secrets: [ResolvedSecret]
        do {
            secrets = try await SecretResolver(projectRoot: definition.projectRoot).resolveOffPool(definition.secretArgs)
        } catch {
            throw NodeFailure(error.description, hint: error.hint)
        }
        if !secrets.isEmpty {
            // Keyed digests only (FingerprintKey): the fingerprint becomes the image's label and tag.
            builder.add("secretArgs", secrets.map { "\($0.name)=\($0.digest)" })
        }
        builder.add("target", definition.target ?? "")
        for base in BaseImages.references(in: dockerfile) {
            // A missing base is not an error here: the build says which one and what to do.
            let id = (try? await client.inspectImage(base))??.id ?? "missing"
            builder.add("base." + base, id)
        }
        for (input, output) in context.inputOutputs.sorted(by: { $0.key < $1.key }) {
            builder.add("input." + input.description, output.hash)
        }
        if let snapshot = source.currentSnapshot {
            builder.add("context.hardLinks", Self.hardLinkGroups(snapshot).map { $0.joined(separator: "\u{0}") }.joined(separator: "\n"))
        }
        return Evaluation(fingerprint: builder.finish(), payload: BuildPayload(dockerfile: dockerfile, secretArgs: secrets))
    }

    /// What `evaluate` read and `run` sends: the Dockerfile and the secret build arguments.
    struct BuildPayload: Sendable {
        var dockerfile: [UInt8]
        var secretArgs: [ResolvedSecret]
    }

    func tag(_ fingerprint: Fingerprint) -> String { "\(definition.repository):\(fingerprint.short)" }

    public func checkOutput(_ record: NodeRecord, _ context: NodeContext) async -> OutputCheck {
        guard let image = record.output.fields["image"] else { return .missing("no image recorded") }
        do {
            guard let info = try await client.inspectImage(image) else { return .missing("\(image) is no longer in the engine") }
            return info.id == record.output.hash ? .present : .missing("\(image) now names another image")
        } catch {
            return .missing("cannot check \(image): \(error)")
        }
    }

    public func existingOutput(_ context: NodeContext, _ evaluation: Evaluation) async -> (NodeOutput, String)? {
        let tag = tag(evaluation.fingerprint)
        guard let info = try? await client.inspectImage(tag),
              info.labels["dev.wbuild.fingerprint"] == evaluation.fingerprint.hex else { return nil }
        return (output(tag: tag, id: info.id), "\(tag) is already in the engine")
    }

    public func run(_ context: NodeContext, _ evaluation: Evaluation) async throws(NodeFailure) -> NodeOutput {
        guard let snapshot = source.currentSnapshot else {
            throw NodeFailure("the build context of \(definition.workload) was not scanned")
        }
        let tag = tag(evaluation.fingerprint)
        let payload = (evaluation.payload as? BuildPayload) ?? BuildPayload(dockerfile: [], secretArgs: [])
        let dockerfile = payload.dockerfile
        let mask = SecretMask(payload.secretArgs)
        var buildArgs = definition.buildArgs
        for secret in payload.secretArgs { buildArgs[secret.name] = secret.value.revealed }
        // The labels go in as one LABEL instruction appended to the Dockerfile, sent beside the
        // context the way the docker CLI sends an outside Dockerfile: the `labels` query
        // parameter would add one build step (one container) per label. With a `target`, a
        // trailing LABEL would land in the wrong stage, so the query parameter is used then.
        // (BuildContextPlan says when it cannot: the rewritten .dockerignore would reach the image.)
        let labels = definition.labels(fingerprint: evaluation.fingerprint.hex)
        let existingIgnore = try? AtomicFile.read(definition.contextDirectory + "/.dockerignore")
        let plan = BuildContextPlan.make(dockerfile: dockerfile, dockerfileInContext: definition.resolvedDockerfileInContext(),
                                         target: definition.target, labels: labels, dockerignore: existingIgnore ?? nil,
                                         ignoreRules: source.sourceSet.ignoreRules, snapshot: snapshot,
                                         suffix: String(evaluation.fingerprint.hex.prefix(20)),
                                         exists: { [root = definition.contextDirectory] name in FileManagerLite.exists(root + "/" + name) })
        let writer = BuildContextWriter(root: definition.contextDirectory, snapshot: snapshot, plan: plan)
        let options = BuildOptions(tags: [tag], dockerfile: plan.dockerfilePath, buildArgs: buildArgs,
                                   target: definition.target, labels: plan.queryLabels)
        let events = context.events, id = context.id
        let meter = context.progressMeter()
        let upload = ContextUploadProgress(meter: meter, totalBytes: snapshot.entries.totalFileBytes)
        let ticker = meter.startTicking()
        defer { ticker.cancel() }
        let imageID: String
        do {
            imageID = try await client.build(options: options, onEvent: { event in
                switch event {
                case .step(let line):
                    upload.step(mask.apply(line))
                    events.emit(.log(id, .stdout, mask.apply(line)))
                case .output(let line), .status(let line):
                    if !Self.isBuilderChatter(line) { events.emit(.log(id, .stdout, mask.apply(line))) }
                case .imageID:
                    break
                }
            }, context: { write in try writer.write(to: upload.counting(write)) })
        } catch let error as DockerError {
            let failure = ImageBuildFailure.nodeFailure(for: error, dockerfile: dockerfile, displayPath: definition.dockerfileForDisplay)
            throw NodeFailure(mask.apply(failure.message), tail: failure.tail.map(mask.apply), hint: failure.hint.map(mask.apply))
        } catch {
            throw NodeFailure(mask.apply("image build failed: \(error)"))
        }
        await prune(keeping: imageID)
        return output(tag: tag, id: imageID)
    }

    /// The classic builder's bookkeeping lines ("---> Running in …", "Removing intermediate
    /// container …", "---> Using cache", "---> 3f2a9c0d1e2b"), which say nothing a developer needs.
    static func isBuilderChatter(_ line: String) -> Bool {
        let text = line.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("---> Running in ") || text.hasPrefix("Removing intermediate container") { return true }
        if text == "---> Using cache" { return true }
        if text.hasPrefix("---> ") {
            let rest = text.dropFirst(5)
            return rest.count == 12 && rest.allSatisfy(\.isHexDigit)
        }
        return text.isEmpty
    }

    /// The context's files that are one inode under several names, as sorted lists of paths
    /// (the tree hash leaves hard links out: inode numbers are not content).
    static func hardLinkGroups(_ snapshot: TreeSnapshot) -> [[String]] {
        var groups: [UInt64: [String]] = [:]
        for entry in snapshot.entries where entry.hardLinkID != 0 {
            groups[entry.hardLinkID, default: []].append(entry.relativePath)
        }
        return groups.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
    }

    func output(tag: String, id: String) -> NodeOutput {
        NodeOutput(hash: id, fields: ["image": tag, "imageId": id])
    }

    /// Removes this workload's older wbuild images beyond the newest `keep`; never an image
    /// without our labels, never one a container still uses (the engine refuses, and we let it).
    func prune(keeping current: String) async {
        guard let images = try? await client.listImages(labelFilter: [
            "dev.wbuild.project=\(definition.project)", "dev.wbuild.workload=\(definition.workload)",
        ]) else { return }
        // Newest first; images of the same second (a quick edit-build loop) ordered by inspect's nanoseconds.
        var aged: [(image: ImageSummary, created: ImageCreationTime)] = []
        for image in images where image.id != current {
            let precise = try? await client.inspectImage(image.id)
            aged.append((image, ImageCreationTime(seconds: image.created, rfc3339: precise?.created)))
        }
        let stale = aged.sorted { $0.created > $1.created }.dropFirst(max(0, definition.keep - 1)).map(\.image)
        for image in stale {
            try? await client.removeImage(image.id, force: false)
        }
    }
}
