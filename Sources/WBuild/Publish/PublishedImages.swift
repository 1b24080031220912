import Foundation
import WBuildCore
import WBuildSystem
import WBuildWorkloads

/// `.wbuild/out/images.json`: what was published, in Skaffold's `--file-output` shape
/// (`{"builds":[{"imageName":"api","tag":"127.0.0.1:5000/shop/api:3f2a…@sha256:…"}]}`), so
/// tools that read Skaffold's build output read ours; wbuild's own fields ride along.
///
/// Each pass that publishes replaces the entries of the workloads it published and keeps the
/// others' (a `publish api` does not forget `web`), minus workloads no longer published.
/// Rendering pins these digests.
public struct PublishedImages: Codable, Sendable, Equatable {
    /// One published image.
    public struct Build: Codable, Sendable, Equatable {
        /// The workload, as Skaffold's artifact `imageName`.
        public var imageName: String
        /// `repository:tag@sha256:…`, what a manifest pins.
        public var tag: String
        public var repository: String
        public var digest: String
        /// Every tag the image was published under, the primary one first.
        public var tags: [String]
        /// The local image (`wbuild/<project>-<workload>:<hex>`) and its id.
        public var localImage: String
        public var imageId: String
    }

    public var builds: [Build]

    /// `<root>/.wbuild/out/images.json`.
    public static func path(root: String) -> String { root + "/.wbuild/out/images.json" }

    /// The file as it is, or nil when missing or unreadable.
    public static func read(root: String) -> PublishedImages? {
        guard let data = FileManager.default.contents(atPath: path(root: root)) else { return nil }
        return try? JSONDecoder().decode(PublishedImages.self, from: data)
    }

    /// The entries of `result`'s publish nodes that succeeded (pushed now or already there).
    static func builds(in result: RunResult) -> [Build] {
        result.nodes.compactMap { node -> Build? in
            guard node.id.kind == PublishRule.kind, node.status == .built || node.status == .cached,
                  let fields = node.output?.fields, let reference = fields["ref"], let repository = fields["repository"],
                  let digest = fields["digest"], let tag = fields["tag"] else { return nil }
            let extras = (fields["extraTags"] ?? "").split(separator: ",").map(String.init)
            return Build(imageName: node.id.name, tag: reference, repository: repository, digest: digest, tags: [tag] + extras,
                         localImage: fields["image"] ?? "", imageId: fields["imageId"] ?? "")
        }
    }

    /// `fresh` replaces same-named entries of `old`; entries of workloads not in `published` go.
    static func merged(_ old: [Build], _ fresh: [Build], published: Set<String>) -> PublishedImages {
        var byName = Dictionary(old.filter { published.contains($0.imageName) }.map { ($0.imageName, $0) }, uniquingKeysWith: { $1 })
        for build in fresh { byName[build.imageName] = build }
        return PublishedImages(builds: byName.values.sorted { $0.imageName < $1.imageName })
    }

    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }
}

extension Engine {
    /// Records the publish nodes of `result` in `.wbuild/out/images.json`; a failure to write is
    /// a warning (the push happened; the next publish writes it again).
    func writePublishedImages(_ result: RunResult) {
        let fresh = PublishedImages.builds(in: result)
        guard !fresh.isEmpty else { return }
        let root = project.layout.root
        let published = Set(project.graph.order.filter { $0.kind == PublishRule.kind }.map(\.name))
        let file = PublishedImages.merged(PublishedImages.read(root: root)?.builds ?? [], fresh, published: published)
        let path = PublishedImages.path(root: root)
        do {
            let bytes = try file.encoded()
            if let existing = FileManager.default.contents(atPath: path), Array(existing) == bytes { return }  // a no-op publish
            try AtomicFile.makeDirectories((path as NSString).deletingLastPathComponent)
            try AtomicFile.write(bytes, to: path, mode: 0o644)
        } catch {
            events.emit(.warning("could not write \(path): \(error); run `wbuild publish` again to write it"))
        }
    }
}
