import WBuildSpec

/// What a cluster cannot run as the laptop does, found before anything is written.
public enum PortabilityChecks {
    /// A host bind mount: the host's files are not on the cluster's nodes.
    public static func hostPathProblems(_ spec: ProjectSpec, target: RenderTarget, allowEmptyDir: Bool) -> [RenderProblem] {
        guard !allowEmptyDir else { return [] }
        var problems: [RenderProblem] = []
        for workload in spec.workloads {
            for (index, volume) in workload.volumes.enumerated() {
                guard case .hostPath(let path) = volume.source else { continue }
                let hint = target == .swarm
                    ? "use a named volume (`{ name: \"data\", target: \"\(volume.target)\" }`): a swarm's nodes do not have \(path)"
                    : "use a named volume (`{ name: \"data\", target: \"\(volume.target)\" }`), or set kubernetes.hostPaths: \"emptyDir\" to mount an empty directory instead"
                problems.append(RenderProblem(
                    keyPath: "workloads.\(workload.name).volumes[\(index)]",
                    "the host folder \(path) mounted at \(volume.target) cannot be rendered for \(target): a cluster's nodes do not have this machine's files",
                    hint: hint))
            }
        }
        return problems
    }

    /// Warnings for the images no registry holds: only a cluster on this engine can run them.
    public static func localImageWarnings(_ input: RenderInput) -> [String] {
        input.spec.workloads.compactMap { workload in
            let image = input.image(of: workload)
            guard !image.isPublished else { return nil }
            return "\(workload.name) runs the local image \(image.reference): only a cluster that shares this engine can run it; run `wbuild publish` to pin a registry digest"
        }
    }
}
