import WBuildSpec

/// Everything a renderer reads: the spec and the image each workload runs. Renderers are pure:
/// the same input gives the same files, byte for byte.
public struct RenderInput: Sendable {
    public var spec: ProjectSpec
    /// By workload name; every workload of `spec` has one.
    public var images: [String: RenderedImage]
    /// The cluster version to render for (`--kube-version`); nil means a current one.
    public var kubeVersion: KubernetesVersion?

    public init(spec: ProjectSpec, images: [String: RenderedImage], kubeVersion: KubernetesVersion? = nil) {
        self.spec = spec
        self.images = images
        self.kubeVersion = kubeVersion
    }

    /// The image of `workload`; a missing entry renders the workload's own `image:` or its name.
    public func image(of workload: WorkloadSpec) -> RenderedImage {
        if let image = images[workload.name] { return image }
        if case .image(let reference) = workload.source { return RenderedImage(parsing: reference, isPublished: true) }
        return RenderedImage(repository: "wbuild/\(spec.name)-\(workload.name)", isPublished: false)
    }

    /// Bindings resolved as the cluster's network has them: each workload by its name.
    public var bindings: NetworkBindings {
        NetworkBindings(project: spec, imageReferences: images.mapValues(\.reference))
    }
}

/// A Kubernetes minor version, `1.30` (`--kube-version`): decides API versions such as
/// `autoscaling/v2` (1.23+) against `autoscaling/v2beta2`.
public struct KubernetesVersion: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// `1.30`, `v1.30`, `1.30.2`; nil for anything else.
    public init?(parsing text: String) {
        let trimmed = text.hasPrefix("v") ? String(text.dropFirst()) : text
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) && $0.count <= 4 }),
              let major = Int(parts[0]), let minor = Int(parts[1]), major >= 1 else { return nil }
        self.init(major: major, minor: minor)
    }

    public var description: String { "\(major).\(minor)" }

    public static func < (lhs: KubernetesVersion, rhs: KubernetesVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}
