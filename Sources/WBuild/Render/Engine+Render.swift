import Foundation
import WBuildCore
import WBuildSpec
import WBuildWorkloads

extension Engine {
    /// `wbuild render --target T`: builds what is stale (so each image ref is exact), then writes
    /// the target's files, pinning `repo@sha256:…` from `.wbuild/out/images.json` for images
    /// published from the current build. Nothing is rewritten when the files already hold
    /// these bytes.
    /// - Throws: `.usage` when the target is not available or the project has no workloads;
    ///   `.engineUnavailable` without an engine.
    public func render(_ options: RenderOptions, parallelism: Int? = nil) async throws(WBuildError) -> RunResult {
        let id = ManifestRule.nodeID(options.target)
        guard project.graph.node(id) != nil else {
            if project.spec.workloads.isEmpty {
                throw WBuildError(.usage, "nothing to render: \(projectFile) declares no workloads",
                                  hint: "render writes cluster files for the workloads; add one under `workloads`")
            }
            throw WBuildError(.usage, "this wbuild cannot render --target \(options.target) yet",
                              hint: "available: \(Renderers.available.map(\.rawValue).joined(separator: ", "))")
        }
        var passOptions = OnceOptions(targets: [id.description])
        if let parallelism { passOptions.parallelism = parallelism }
        let result = try await once(passOptions)
        if result.ok, options.target == .helm, let valuesFile = options.valuesFile {
            let folder = options.out.map(Self.absoluteFolder) ?? project.layout.root + "/.wbuild/out/" + options.target.defaultFolder
            try await HelmValuesCheck.check(chartFolder: folder + "/" + HelmChartRenderer.chartName(project.spec),
                                            valuesFile: valuesFile, spec: project.spec, projectRoot: project.layout.root)
        }
        return result
    }

    /// `manifest:` nodes for a build-only graph: every available target in its default folder,
    /// the one `options` names in its folder. None when workloads run.
    static func renderServices(spec: ProjectSpec, layout: ProjectLayout, workloads: WorkloadMode,
                               options: RenderOptions?) throws(WBuildError) -> RenderServices? {
        guard case .buildOnly = workloads, !spec.workloads.isEmpty else { return nil }
        var manifests: [RenderServices.Manifest] = []
        for target in Renderers.available {
            guard let renderer = Renderers.renderer(for: target) else { continue }
            var folder = layout.root + "/.wbuild/out/" + target.defaultFolder
            if let options, options.target == target, let out = options.out {
                folder = Self.absoluteFolder(out)
                if folder == layout.root || folder == "/" {
                    throw WBuildError(.usage, "--out \(out) is the project's root folder (or /)",
                                      hint: "render into a folder of its own, e.g. --out deploy/\(target)")
                }
            }
            manifests.append(RenderServices.Manifest(renderer: renderer, folder: folder))
        }
        let root = layout.root
        return RenderServices(manifests: manifests, kubeVersion: options?.kubeVersion, readPublished: {
            Self.publishedImages(root: root)
        })
    }

    /// `.wbuild/out/images.json` by workload.
    static func publishedImages(root: String) -> [String: PublishedImage] {
        var images: [String: PublishedImage] = [:]
        for build in PublishedImages.read(root: root)?.builds ?? [] {
            images[build.imageName] = PublishedImage(repository: build.repository, tag: build.tags.first ?? "",
                                                     digest: build.digest, imageId: build.imageId)
        }
        return images
    }

    private static func absoluteFolder(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (absolute as NSString).standardizingPath
    }
}
