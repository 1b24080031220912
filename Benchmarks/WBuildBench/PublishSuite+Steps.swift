import Foundation
import WBuildSystem

/// The publish suite's untimed steps (building, tagging) and the checks that a timed run did
/// what its row says: wbuild's pushes against the registry's own manifests, Compose's pushes
/// landed.
extension PublishSuite {
    /// Builds the three images untimed and returns workload → local image reference, and whether
    /// they are wbuild's: `wbuild once --json` (the `image` of each `image:NAME` node), or, with no
    /// wbuild to measure or one whose `once` does not report the three images (a problem then),
    /// `docker build` of the same contexts, so the peers are still measured.
    func buildImages(name: String, root: String, report: inout Report) async throws(BenchError)
        -> (images: [String: String], byWbuild: Bool) {
        if measureWbuild {
            let once = ProcessCommand.argv([options.wbuild, "once", "--json", "-f", "wbuild.json"])
            let run = try await ProcessTimer.run(once, in: root, tailLines: 10_000)
            let images = Self.builtImages(run.output.filter { $0.stream == .stdout }.map(\.line))
            if run.status.isSuccess, Set(images.keys) == Set(Self.workloads) { return (images, true) }
            report.problem(BenchError(.commandFailed, "\(label): `\(once)` ended with \(run.status) reporting images for"
                                      + " \(images.keys.sorted()), not for \(Self.workloads); wbuild is left out, the peers push"
                                      + " images from `docker build`", detail: run.outputText))
        }
        var images: [String: String] = [:]
        for workload in Self.workloads {
            let reference = "\(name)-\(workload):bench"
            try await ProcessTimer.runChecked(DockerPeer.docker(["build", "-q", "-t", reference, workload]), in: root)
            images[workload] = reference
        }
        return (images, false)
    }

    /// Workload → `image` of each `image:NAME` node in a `{"type":"result"}` line.
    static func builtImages(_ lines: [String]) -> [String: String] {
        var images: [String: String] = [:]
        for line in lines {
            guard let object = JSONLine.object(line), object["type"] as? String == "result" else { continue }
            for node in object["nodes"] as? [[String: Any]] ?? [] {
                guard let id = node["id"] as? String, id.hasPrefix("image:"), let image = node["image"] as? String else { continue }
                images[String(id.dropFirst("image:".count))] = image
            }
        }
        return images
    }

    /// `127.0.0.1:PORT/shop/WORKLOAD:TAG`, TAG being the local image's own tag (wbuild's fingerprint).
    static func reference(of local: String, workload: String, in registry: LocalRegistry) -> String {
        let tag = local.split(separator: "/").last.flatMap { $0.split(separator: ":").dropFirst().first }.map(String.init)
        return "\(registry.address)/\(path)/\(workload):\(tag ?? "bench")"
    }

    /// Tags the three images for `registry` (untimed) and writes the compose.yaml that pushes them.
    func tagForCompose(_ local: [String: String], registry: LocalRegistry, name: String, root: String) async throws(BenchError) {
        var references: [String: String] = [:]
        for (workload, image) in local {
            let reference = Self.reference(of: image, workload: workload, in: registry)
            try await ProcessTimer.runChecked(DockerPeer.docker(["tag", image, reference]), in: root)
            references[workload] = reference
        }
        try ContainerProjectFiles.writePublishCompose(at: root, name: name, images: references)
    }

    /// Throws unless the registry has a manifest for each of the three images Compose pushed.
    func checkComposePushed(_ local: [String: String], registry: LocalRegistry, root: String) async throws(BenchError) {
        for (workload, image) in local.sorted(by: { $0.key < $1.key }) {
            let reference = Self.reference(of: image, workload: workload, in: registry)
            let tag = String(reference.split(separator: ":").last ?? "")
            if await registry.manifestDigest(repository: "\(Self.path)/\(workload)", tag: tag, in: root) == nil {
                throw BenchError(.commandFailed, "\(label): `docker compose push` exited 0 but \(registry.address) has no"
                                 + " manifest for \(Self.path)/\(workload):\(tag)",
                                 hint: "check that every service in compose.yaml has `build:` (Compose skips the others)")
            }
        }
    }

    /// The refs `docker push` pushes again in the no-op: the ones wbuild's last first publish
    /// pushed (from images.json; tagged locally here if the engine has no such tag), or Compose's
    /// when there is no wbuild. Sorted by workload.
    func dockerPushReferences(_ local: [String: String], wbuildRegistry: LocalRegistry?, composeRegistry: LocalRegistry,
                              name: String, root: String) async throws(BenchError) -> [(String, String)] {
        guard wbuildRegistry != nil else {
            return local.sorted { $0.key < $1.key }.map { ($0.key, Self.reference(of: $0.value, workload: $0.key, in: composeRegistry)) }
        }
        guard let published = PublishedImage.read(project: root), published.count == Self.workloads.count else {
            throw BenchError(.commandFailed, "\(label): no readable \(PublishedImage.imagesFile(root)) with 3 images after the"
                             + " first publish; the no-op cannot be compared")
        }
        var references: [(String, String)] = []
        for image in published.sorted(by: { $0.workload < $1.workload }) {
            let inspected = try await ProcessTimer.run(DockerPeer.docker(["image", "inspect", "-f", "{{.Id}}", image.reference]),
                                                       in: root)
            if !inspected.status.isSuccess, let source = local[image.workload] {
                try await ProcessTimer.runChecked(DockerPeer.docker(["tag", source, image.reference]), in: root)
            }
            references.append((image.workload, image.reference))
        }
        return references
    }
}
