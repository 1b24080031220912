import WBuildCore
import WBuildRender

extension Engine {
    /// `wbuild deploy --target kubernetes|helm`: builds what is stale, renders for the cluster's
    /// version, then either applies the objects that changed (kubernetes) or upgrades the release
    /// when the chart or its values changed (helm), and waits for the Deployments to roll out.
    /// - Throws: `.usage` for a refused or unknown context or a missing tool; `.failed` when
    ///   the cluster does not answer or a step before the rollout fails.
    public func deployKubernetes(_ options: KubernetesDeployOptions) async throws(WBuildError) -> KubernetesDeployResult {
        let started = ContinuousClock.now
        let connection = try await KubernetesConnection.open(spec: project.spec, projectRoot: project.layout.root,
                                                             contextOverride: options.context)
        let (rendering, folder) = try await renderForDeploy(options.target, version: options.kubeVersion ?? connection.serverVersion)
        var result: KubernetesDeployResult
        switch options.target {
        case .helm:
            result = try await HelmDeploy(engine: self, connection: connection, options: options).run(rendering, folder: folder)
        default:
            result = try await applyObjects(rendering, folder: folder, connection: connection, options: options)
        }
        result.milliseconds = Self.milliseconds(since: started)
        return result
    }

    /// The objects of `rendering` against the live ones: apply what changed, wait, prune.
    private func applyObjects(_ rendering: Rendering, folder: String, connection: KubernetesConnection,
                              options: KubernetesDeployOptions) async throws(WBuildError) -> KubernetesDeployResult {
        let kubectl = connection.kubectl
        let project = self.project.spec.name
        let live = try await liveObjects(kubectl, resources: KubernetesPlan.resourcesToList(rendering.objects))
        let changes = KubernetesPlan.changes(desired: rendering.objects, live: live)
        var result = KubernetesDeployResult(target: .kubernetes, context: connection.context.name, namespace: kubernetesNamespace,
                                            items: changes.map { .init(name: $0.displayName, action: $0.verb) },
                                            rollouts: [], planned: options.plan, milliseconds: 0)
        if options.plan { return result }
        let applied = changes.compactMap { change -> RenderedObject? in
            switch change {
            case .create(let object), .update(let object, _): return object
            default: return nil
            }
        }
        if !applied.isEmpty {
            let files = applied.flatMap { ["-f", folder + "/" + $0.file] }
            let output = try await kubectl.run(["apply", "--server-side", "--field-manager=wbuild", "--force-conflicts"] + files)
            guard output.ok else {
                let reason = "kubectl apply failed:\n  \(output.reason(lines: 12))"
                for index in result.items.indices where ["create", "update"].contains(result.items[index].action) {
                    result.items[index].failure = reason
                }
                return result
            }
        }
        let deployments = Set(applied.filter { $0.kind == "Deployment" }.map(\.name))
        if options.wait, !deployments.isEmpty {
            let rollout = KubernetesRollout(kubectl: kubectl, namespace: kubernetesNamespace, project: project, events: events)
            let outcomes = await rollout.wait(for: deployments, timeout: options.timeout)
            result.rollouts = outcomes.map { .init(name: $0.name, ready: $0.ready, desired: $0.desired, failure: $0.failure) }
        }
        guard result.ok else { return result }
        for (index, change) in changes.enumerated() {
            guard case .prune(let object) = change else { continue }
            let resource = KubernetesPlan.resources.first { $0.kind == object.kind }?.resource ?? object.kind.lowercased()
            var arguments = ["delete", resource, object.name, "--ignore-not-found", "--wait=false"]
            if let namespace = object.namespace { arguments += ["-n", namespace] }
            let output = try await kubectl.run(arguments)
            if !output.ok { result.items[index].failure = "kubectl delete \(resource) \(object.name) failed: \(output.reason())" }
        }
        return result
    }

    /// Everything labelled `dev.wbuild.project=<name>` across `resources` and namespaces.
    func liveObjects(_ kubectl: KubectlSession, resources: [String]) async throws(WBuildError) -> [LiveObject] {
        let json = try await kubectl.checked(["get", resources.joined(separator: ","), "--all-namespaces",
                                              "-l", "dev.wbuild.project=\(project.spec.name)", "-o", "json"],
                                             "listing the project's objects on the cluster")
        guard let objects = LiveObject.parse(json: json) else {
            throw WBuildError(.failed, "kubectl get printed no object list", hint: "run it yourself: kubectl get \(resources.joined(separator: ",")) -A -o json")
        }
        return objects
    }
}
