import WBuildCore
import WBuildDocker
import WBuildSpec
import WBuildWorkloads

extension Engine {
    /// `wbuild publish`: builds what is stale, then pushes each named workload's image (every
    /// built one without targets) where the registry lacks it; writes `.wbuild/out/images.json`.
    ///
    /// A registry that does not answer at all is one error (exit 1) before any node runs,
    /// rather than the same failure once per image.
    /// - Throws: `.usage` for an unknown or unpublishable target, or when no registry is set;
    ///   `.failed` when the registry cannot be reached; `.engineUnavailable` without an engine.
    public func publish(_ options: OnceOptions = OnceOptions()) async throws(WBuildError) -> RunResult {
        let publishIDs = project.graph.order.filter { $0.kind == PublishRule.kind }
        guard let first = publishIDs.first, let rule = project.graph.node(first)?.rule as? PublishRule else {
            if project.spec.workloads.contains(where: { if case .build = $0.source { return true } else { return false } }) {
                throw WBuildError(.usage, "no registry to publish to in \(projectFile)",
                                  hint: "add publish: { registry: \"127.0.0.1:5000/\(project.spec.name)\" } to wbuild.json, or pass --registry HOST[:PORT]/PATH")
            }
            throw WBuildError(.usage, "nothing to publish: no workload in \(projectFile) builds an image",
                              hint: "workloads with `image:` run a ready-made image; publish builds those with `build:`")
        }
        let targets = try publishTargets(options.targets, all: publishIDs)
        try await checkRegistryAnswers(rule.destination)
        var passOptions = options
        passOptions.targets = targets.map(\.description).sorted()
        return try await once(passOptions)
    }

    /// `publish:NAME` nodes for the command line's targets: a workload name, or a `publish:` id.
    func publishTargets(_ targets: [String], all: [NodeID]) throws(WBuildError) -> [NodeID] {
        guard !targets.isEmpty else { return all }
        var resolved: [NodeID] = []
        for target in targets {
            let name = NodeID(parsing: target).map { $0.kind == PublishRule.kind || $0.kind == "workload" || $0.kind == "image" ? $0.name : target } ?? target
            let id = PublishRule.nodeID(workload: name)
            if all.contains(id) {
                resolved.append(id)
            } else if let workload = project.spec.workload(named: name), case .image(let reference) = workload.source {
                throw WBuildError(.usage, "\(name) is not published: it runs the ready-made image \(reference)",
                                  hint: "publish builds the workloads with `build:`: \(all.map(\.name).joined(separator: ", "))")
            } else {
                let names = all.map(\.name)
                let closest = Suggestion.closest(to: name, among: names).map { "did you mean \($0)? " } ?? ""
                throw WBuildError(.usage, "unknown target \(target) for publish in \(projectFile)",
                                  hint: "\(closest)published workloads: \(names.joined(separator: ", "))")
            }
        }
        return resolved
    }

    /// Asks the registry, through the engine, for a tag that cannot exist: any answer (404 or a
    /// refused login) proves it is there; only "not reachable" stops the command.
    func checkRegistryAnswers(_ destination: PublishDestination) async throws(WBuildError) {
        guard let docker = project.docker else { return }
        do {
            _ = try await docker.registryDigest(repository: "\(destination.registry)/wbuild-reachability-probe", tag: "absent", auth: nil)
        } catch let error as DockerError where error.kind == .engineUnreachable {
            throw WBuildError(.engineUnavailable, error.message, hint: error.hint)
        } catch let error as DockerError where DockerClient.registryProblem(in: error.message) == .unreachable {
            throw WBuildError(.failed, "cannot reach the registry \(destination.registryHost): \(error.message)",
                              hint: "start the registry at \(destination.registryHost), or point publish.registry (or --registry) at one that runs")
        } catch {
            return  // it answered, if only to refuse: each node says what it means for its image
        }
    }

    var projectFile: String { project.layout.root + "/wbuild.json" }

    /// `publish:` nodes for a build-only graph: from wbuild.json's `publish`, the registry taken
    /// from `--registry` when given. None when workloads run (`up`, `watch` never push).
    static func publishServices(spec: ProjectSpec, workloads: WorkloadMode,
                                registry override: String?) throws(WBuildError) -> PublishServices? {
        guard case .buildOnly = workloads else { return nil }
        var settings = spec.publish
        if let override {
            if let problem = PublishSettings.registryProblem(override) {
                throw WBuildError(.usage, "--registry \(override): \(problem)",
                                  hint: "write it as HOST[:PORT][/PATH] without a scheme, e.g. 127.0.0.1:5000/\(spec.name)")
            }
            settings = PublishSettings(registry: override, tag: settings?.tag ?? .fingerprint, extraTags: settings?.extraTags ?? [])
        }
        return settings.map { PublishServices(settings: $0) }
    }
}
