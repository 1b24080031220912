import Foundation
import WBuildSpec
import WBuildTestSupport
@testable import WBuildRender

/// The repository's samples rendered as if published: each built image at
/// `127.0.0.1:5000/<project>/<workload>` with a fixed tag and digest, so files are stable.
enum SampleRendering {
    /// The package root, from this file's path.
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The samples that declare workloads (the others have nothing to render).
    static func samplesWithWorkloads() throws -> [String] {
        let folder = repositoryRoot + "/Samples"
        return try FileManager.default.contentsOfDirectory(atPath: folder).sorted().filter { name in
            guard FileManager.default.fileExists(atPath: "\(folder)/\(name)/wbuild.json") else { return false }
            return !(try spec(name).workloads.isEmpty)
        }
    }

    static func spec(_ sample: String) throws -> ProjectSpec {
        try ProjectLoader.load(path: "\(repositoryRoot)/Samples/\(sample)/wbuild.json")
    }

    static func input(_ spec: ProjectSpec, kubeVersion: KubernetesVersion? = nil) -> RenderInput {
        var images: [String: RenderedImage] = [:]
        for (index, workload) in spec.workloads.enumerated() {
            guard case .build = workload.source else { continue }
            let digit = String(index % 10)
            images[workload.name] = RenderedImage(repository: "127.0.0.1:5000/\(spec.name)/\(workload.name)", tag: "golden",
                                                  digest: "sha256:" + String(repeating: digit, count: 64), isPublished: true)
        }
        return RenderInput(spec: spec, images: images, kubeVersion: kubeVersion)
    }

    static func render(_ target: RenderTarget, _ input: RenderInput) throws -> Rendering {
        guard let renderer = Renderers.renderer(for: target) else { throw RenderingUnavailable(target: target) }
        return try renderer.render(input)
    }

    /// Writes the files under `folder`; returns their paths.
    @discardableResult
    static func write(_ rendering: Rendering, into folder: String) throws -> [String] {
        try rendering.files.map { file in
            let path = "\(folder)/\(file.path)"
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(file.contents.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    struct RenderingUnavailable: Error, CustomStringConvertible {
        var target: RenderTarget
        var description: String { "no renderer for \(target)" }
    }
}
