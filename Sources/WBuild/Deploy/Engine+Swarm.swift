import Foundation
import WBuildCore
import WBuildDocker
import WBuildRender
import WBuildSpec
import WBuildWorkloads

extension Engine {
    /// `wbuild deploy --target swarm`: publish (build what is stale, push what the registry
    /// lacks), bake wbuild's probe into images whose health check needs it, make the stack's
    /// network and secrets, then create, update or remove services so the swarm runs the spec;
    /// a service whose fingerprint label matches is not touched. Waits for convergence unless
    /// told not to.
    /// - Throws: `.usage` without a registry to publish to; `.failed` when the engine is no swarm
    ///   manager, or a step before the services fails; `.engineUnavailable` without an engine.
    public func deploySwarm(_ options: SwarmDeployOptions) async throws(WBuildError) -> SwarmDeployResult {
        let started = ContinuousClock.now
        let spec = project.spec
        let stack = SwarmStackRenderer.stackName(spec)
        let client = try swarmClient()
        try await checkManager(client, initSwarm: options.initSwarm)

        for workload in spec.workloads {
            for sidecar in workload.sidecars { events.emit(.warning(SwarmSidecarNetwork.warning(sidecar, of: workload.name))) }
        }
        let images = try await deployedImages(client: client)
        let secrets = options.plan ? [:] : try await SwarmSecrets(client: client, projectRoot: project.layout.root).ensure(spec: spec, stack: stack)
        let routerImage = try await deployedRouterImage(client: client, published: images.published)
        let deployment = SwarmDeployment(spec: spec, stack: stack, images: images.references, probeImages: images.probed,
                                         secrets: secrets, routerImage: routerImage)
        let live: [SwarmService]
        do {
            live = try await client.listServices(labels: ["com.docker.stack.namespace=\(stack)"])
        } catch {
            throw WBuildError(.failed, "cannot list the services of stack \(stack): \(error)", hint: "check that the engine is a swarm manager")
        }
        let changes = SwarmPlan.changes(desired: SwarmServicePlanner.services(deployment), live: live)
        var services = changes.map { change -> SwarmDeployResult.Service in
            var changed: [String] = []
            if case .update(_, _, let fields) = change { changed = fields }
            return SwarmDeployResult.Service(name: change.serviceName, action: change.verb, changed: changed, nodes: [:])
        }
        if options.plan {
            return SwarmDeployResult(stack: stack, services: services, planned: true, milliseconds: Self.milliseconds(since: started))
        }
        if changes.contains(where: { if case .create = $0 { return true } else { return false } }) {
            try await ensureNetwork(client, deployment)
        }
        let auth = try? await (publishLogins ?? RegistryLogins()).auth(for: registryHost ?? "")
        let readyNodes = ((try? await client.listNodes()) ?? []).filter { $0.Status.State == "ready" }.count
        // A global service (the router) runs a task per ready node.
        func replicas(_ spec: SwarmServiceSpec) -> Int {
            spec.Mode.Global != nil ? max(readyNodes, 1) : spec.Mode.Replicated?.Replicas ?? 1
        }
        var targets: [SwarmConvergence.Target] = []
        for (index, change) in changes.enumerated() {
            do {
                switch change {
                case .create(let desired):
                    let id = try await client.createService(desired.spec, auth: auth)
                    targets.append(.init(id: id, name: desired.spec.Name, image: desired.spec.TaskTemplate.ContainerSpec.Image,
                                         replicas: replicas(desired.spec), isUpdate: false))
                case .update(let desired, let current, _):
                    try await client.updateService(current.ID, version: current.Version.Index, spec: desired.spec, auth: auth)
                    targets.append(.init(id: current.ID, name: desired.spec.Name, image: desired.spec.TaskTemplate.ContainerSpec.Image,
                                         replicas: replicas(desired.spec), isUpdate: true))
                case .remove(let current):
                    try await client.removeService(current.ID)
                case .unchanged:
                    break
                }
            } catch {
                services[index].failure = "\(change.verb) \(change.serviceName) failed: \(error)"
            }
        }
        if options.wait, !targets.isEmpty {
            let names = await nodeNames(client)
            let outcomes = await SwarmConvergence(client: client, events: events).wait(for: targets, timeout: options.timeout, nodeNames: names)
            for outcome in outcomes {
                guard let index = services.firstIndex(where: { $0.name == outcome.name }) else { continue }
                services[index].running = outcome.running
                services[index].desired = outcome.desired
                services[index].nodes = Dictionary(outcome.nodes.map { (names[$0.key] ?? $0.key, $0.value) }, uniquingKeysWith: +)
                services[index].failure = services[index].failure ?? outcome.failure
            }
        }
        if services.allSatisfy({ $0.failure == nil }) {
            await SwarmSecrets(client: client, projectRoot: project.layout.root)
                .prune(stack: stack, keep: Set(secrets.values.flatMap { $0.values.map(\.name) }))
        }
        return SwarmDeployResult(stack: stack, services: services, planned: false, milliseconds: Self.milliseconds(since: started))
    }

    /// The swarm manager: `swarm.host` when set, else the engine of `DOCKER_HOST`.
    func swarmClient() throws(WBuildError) -> DockerClient {
        if let host = project.spec.swarm?.host {
            do {
                return DockerClient(host: try DockerHost.parse(host))
            } catch {
                throw WBuildError(.usage, "swarm.host \(host): \(error.message)", hint: error.hint)
            }
        }
        if let docker = project.docker { return docker }
        do {
            return try DockerClient()
        } catch {
            throw WBuildError(.engineUnavailable, error.message, hint: error.hint)
        }
    }

    private func checkManager(_ client: DockerClient, initSwarm: Bool) async throws(WBuildError) {
        let membership: SwarmMembership
        do {
            membership = try await client.swarmMembership()
        } catch let error as DockerError where error.kind == .engineUnreachable {
            throw WBuildError(.engineUnavailable, error.message, hint: error.hint)
        } catch {
            throw WBuildError(.failed, "cannot ask the engine at \(client.host) about its swarm: \(error)", hint: nil)
        }
        if membership.localNodeState == "inactive", initSwarm {
            do {
                try await client.initSwarm(advertiseAddress: nil)
                events.emit(.warning("made the engine at \(client.host) a one-node swarm (docker swarm leave --force undoes it)"))
                return
            } catch {
                throw WBuildError(.failed, "cannot make the engine at \(client.host) a swarm: \(error)",
                                  hint: "run `docker swarm init --advertise-addr ADDRESS` yourself, naming the address other nodes reach")
            }
        }
        guard membership.localNodeState == "active" else {
            throw WBuildError(.failed, "the engine at \(client.host) is in no swarm (its swarm state is \(membership.localNodeState))",
                              hint: "point DOCKER_HOST (or swarm.host) at a swarm manager, or run `wbuild deploy --target swarm --init` to make this engine a one-node swarm")
        }
        guard membership.isManager else {
            throw WBuildError(.failed, "the engine at \(client.host) is a swarm worker, not a manager: services are made on managers",
                              hint: "point DOCKER_HOST (or swarm.host) at a manager (`docker node ls` on one lists them)")
        }
    }

    /// Per workload the reference its tasks run: published digests (publishing first), a probe
    /// baked in where an http or tcp check needs one; pulled images as written.
    private func deployedImages(client: DockerClient) async throws(WBuildError)
        -> (references: [String: String], probed: Set<String>, published: [String])
    {
        var references: [String: String] = [:]
        var probed = Set<String>()
        let built = project.spec.workloads.filter { if case .build = $0.source { return true } else { return false } }
        var published: [String: (repository: String, digest: String, tag: String)] = [:]
        if !built.isEmpty {
            let result = try await publish()
            guard result.ok else {
                let failed = result.nodes.filter { $0.status == .failed }.map { "\($0.id): \($0.failure?.message ?? "failed")" }
                throw WBuildError(.failed, "publishing before the deploy failed: " + failed.joined(separator: "; "),
                                  hint: "fix what `wbuild publish` says, then deploy again")
            }
            for node in result.nodes where node.id.kind == PublishRule.kind {
                guard let fields = node.output?.fields, let repository = fields["repository"], let digest = fields["digest"],
                      let tag = fields["tag"] else { continue }
                published[node.id.name] = (repository, digest, tag)
            }
        }
        var baker: SwarmProbeImage?
        for workload in project.spec.workloads {
            switch workload.source {
            case .image(let reference):
                references[workload.name] = reference
            case .build:
                guard let pin = published[workload.name] else {
                    throw WBuildError(.failed, "\(workload.name) has no published image to deploy", hint: "run `wbuild publish \(workload.name)` and see what it says")
                }
                let base = "\(pin.repository)@\(pin.digest)"
                if SwarmServicePlanner.needsProbe(workload), let host = registryHost {
                    if baker == nil {
                        baker = SwarmProbeImage(client: client, logins: publishLogins ?? RegistryLogins(), supervisor: try await .load())
                    }
                    guard let baker else { continue }
                    references[workload.name] = try await baker.bake(base: base, repository: pin.repository, tag: pin.tag, registryHost: host)
                    probed.insert(workload.name)
                } else {
                    references[workload.name] = base
                }
            }
        }
        return (references, probed, published.values.map(\.repository).sorted())
    }

    /// The router's image beside the published ones, when the project has routes.
    private func deployedRouterImage(client: DockerClient, published: [String]) async throws(WBuildError) -> String? {
        guard project.spec.hasRoutes else { return nil }
        guard let repository = published.first, let host = registryHost else {
            throw WBuildError(.usage, "the routes need wbuild's router on the swarm, pushed beside the app's images, and no workload is published",
                              hint: "set publish.registry in wbuild.json (or --registry) so that deploy pushes the images and the router")
        }
        return try await SwarmRouterImage(client: client, logins: publishLogins ?? RegistryLogins())
            .ensure(repository: SwarmRouterImage.repository(besides: repository), registryHost: host)
    }

    private func ensureNetwork(_ client: DockerClient, _ deployment: SwarmDeployment) async throws(WBuildError) {
        do {
            let existing = try await client.listNetworks(labels: ["com.docker.stack.namespace=\(deployment.stack)"])
            if existing.contains(where: { $0.name == deployment.networkName }) { return }
            _ = try await client.createOverlayNetwork(name: deployment.networkName, labels: deployment.stackLabels)
        } catch {
            throw WBuildError(.failed, "cannot create the overlay network \(deployment.networkName): \(error)",
                              hint: "check that the engine is a swarm manager and overlay networks work (`docker network create -d overlay --attachable x`)")
        }
    }

    func nodeNames(_ client: DockerClient) async -> [String: String] {
        let nodes = (try? await client.listNodes()) ?? []
        var names: [String: String] = [:]
        for node in nodes {
            names[node.ID] = node.Spec.Labels?["dev.wbuild.node"] ?? node.Description?.Hostname ?? String(node.ID.prefix(8))
        }
        return names
    }

    /// The logins the publish nodes push with, when the graph has any.
    var publishLogins: RegistryLogins? {
        project.graph.order.lazy.compactMap { (self.project.graph.node($0)?.rule as? PublishRule)?.credentials }.first
    }

    var registryHost: String? {
        project.graph.order.lazy.compactMap { (self.project.graph.node($0)?.rule as? PublishRule)?.destination.registryHost }.first
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}
