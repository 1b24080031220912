import WBuildCore
import WBuildRender
import WBuildSpec

/// A published image as `.wbuild/out/images.json` records it, for pinning.
public struct PublishedImage: Sendable, Equatable {
    public var repository: String
    public var tag: String
    public var digest: String
    /// The local image it was pushed from: the pin is used only while the workload still builds it.
    public var imageId: String

    public init(repository: String, tag: String, digest: String, imageId: String) {
        self.repository = repository
        self.tag = tag
        self.digest = digest
        self.imageId = imageId
    }
}

/// A `manifest:TARGET` node (`kubernetes`, `helm`, `terraform`, `swarm`): the project rendered
/// for a target into a folder, consuming every workload's `image:NAME`.
///
/// Each workload's image is pinned as `repository@sha256:…` when `.wbuild/out/images.json`
/// has it for the very image the workload builds now; otherwise the local tag, with a warning
/// (only a cluster sharing this engine can run it). Rendering is pure, so `evaluate` renders and
/// the fingerprint is the bytes: a `once` with nothing changed writes nothing, and the
/// existing-output check is the files on disk hashing the same.
public final class ManifestRule: NodeRule {
    public static let kind = "manifest"

    public static func nodeID(_ target: RenderTarget) -> NodeID { NodeID(kind: kind, name: target.rawValue) }

    let renderer: any Renderer
    let spec: ProjectSpec
    let folder: RenderedFolder
    let kubeVersion: KubernetesVersion?
    let readPublished: @Sendable () -> [String: PublishedImage]

    public init(renderer: any Renderer, spec: ProjectSpec, folder: String, kubeVersion: KubernetesVersion?,
                readPublished: @escaping @Sendable () -> [String: PublishedImage]) {
        self.renderer = renderer
        self.spec = spec
        self.folder = RenderedFolder(path: folder)
        self.kubeVersion = kubeVersion
        self.readPublished = readPublished
    }

    public func evaluate(_ context: NodeContext) async throws(NodeFailure) -> Evaluation {
        let rendering = try render(context)
        var builder = FingerprintBuilder(kind: Self.kind)
        builder.add("target", renderer.target.rawValue)
        builder.add("folder", folder.path)
        builder.add("files", RenderedFolder.hash(of: rendering))
        return Evaluation(fingerprint: builder.finish(), payload: rendering)
    }

    public func checkOutput(_ record: NodeRecord, _ context: NodeContext) async -> OutputCheck {
        let files = (record.output.fields["files"] ?? "").split(separator: ",").map(String.init)
        guard !files.isEmpty, record.output.fields["folder"] == folder.path else { return .missing("no rendered files recorded") }
        return folder.holds(files: files, hash: record.output.hash) ? .present : .missing("a rendered file in \(folder.path) was changed or removed")
    }

    public func existingOutput(_ context: NodeContext, _ evaluation: Evaluation) async -> (NodeOutput, String)? {
        guard let rendering = evaluation.payload as? Rendering, folder.holds(rendering),
              folder.listing() == rendering.files.map(\.path) else { return nil }
        warn(rendering, context)
        return (output(rendering, written: 0), "\(folder.path) already holds these files")
    }

    public func run(_ context: NodeContext, _ evaluation: Evaluation) async throws(NodeFailure) -> NodeOutput {
        let rendering: Rendering
        if let rendered = evaluation.payload as? Rendering { rendering = rendered } else { rendering = try render(context) }
        let changes: RenderedFolder.Changes
        do {
            changes = try folder.write(rendering)
        } catch {
            throw NodeFailure("cannot write the \(renderer.target) files: \(error)",
                              hint: "check that \(folder.path) is a folder you can write, or pass --out DIR")
        }
        warn(rendering, context)
        for path in changes.written { context.log("wrote \(path)") }
        for path in changes.removed { context.log("removed \(path) (no longer rendered)") }
        return output(rendering, written: changes.written.count)
    }

    private func output(_ rendering: Rendering, written: Int) -> NodeOutput {
        NodeOutput(hash: RenderedFolder.hash(of: rendering), fields: [
            "target": renderer.target.rawValue,
            "folder": folder.path,
            "files": rendering.files.map(\.path).joined(separator: ","),
            "written": String(written),
            "warnings": String(rendering.warnings.count),
        ])
    }

    private func warn(_ rendering: Rendering, _ context: NodeContext) {
        for warning in rendering.warnings { context.events.emit(.warning("\(context.id): \(warning)")) }
    }

    /// Each workload's image for a rendering: its own `image:`, else the published
    /// `repository@digest` when `published` has the very image it builds now (`imageOutputs`:
    /// workload → its `image:NAME` node's output fields), else the local tag.
    public static func images(spec: ProjectSpec, imageOutputs: [String: [String: String]],
                              published: [String: PublishedImage]) -> [String: RenderedImage] {
        var images: [String: RenderedImage] = [:]
        for workload in spec.workloads {
            let output = imageOutputs[workload.name]
            switch workload.source {
            case .image(let reference):
                images[workload.name] = RenderedImage(parsing: reference, isPublished: true)
            case .build:
                if let pin = published[workload.name], let imageId = output?["imageId"], pin.imageId == imageId {
                    images[workload.name] = RenderedImage(repository: pin.repository, tag: pin.tag, digest: pin.digest, isPublished: true)
                } else if let tag = output?["image"] {
                    images[workload.name] = RenderedImage(parsing: tag, isPublished: false)
                }
            }
        }
        return images
    }

    /// The rendering for the images the inputs built, pinned where published.
    func render(_ context: NodeContext) throws(NodeFailure) -> Rendering {
        let outputs = Dictionary(uniqueKeysWithValues: spec.workloads.compactMap { workload in
            context.inputOutputs[NodeID(kind: "image", name: workload.name)].map { (workload.name, $0.fields) }
        })
        let images = Self.images(spec: spec, imageOutputs: outputs, published: readPublished())
        do {
            return try renderer.render(RenderInput(spec: spec, images: images, kubeVersion: kubeVersion))
        } catch {
            let lines = error.problems.map { problem -> String in
                let place = spec.locations.diagnostic(at: problem.keyPath, problem.message, hint: problem.hint)
                return place.description
            }
            throw NodeFailure("\(error.problems.count == 1 ? "one thing" : "\(error.problems.count) things") in wbuild.json cannot be rendered for \(renderer.target)",
                              tail: lines, hint: "change wbuild.json as each line says, then render again")
        }
    }
}
