import WBuildCore
import WBuildDocker
import WBuildRender
import WBuildWorkloads

/// A stack's services as the swarm runs them, and its nodes.
public struct SwarmStatus: Sendable, Equatable {
    /// One service: replicas running of desired, per node, and what the last update did.
    public struct Service: Sendable, Equatable {
        public var name: String
        public var running: Int
        public var desired: Int
        /// Node name → running tasks.
        public var nodes: [String: Int]
        public var updateState: String?
        /// Tasks of the service that were moved off a node that is down, lately.
        public var rescheduledFrom: [String]
    }

    /// One node of the swarm.
    public struct Node: Sendable, Equatable {
        public var name: String
        /// `ready`, `down`, …
        public var state: String
        public var address: String?
    }

    public var stack: String
    public var services: [Service]
    public var nodes: [Node]
}

extension Engine {
    /// `wbuild status --target swarm`.
    public func swarmStatus() async throws(WBuildError) -> SwarmStatus {
        let stack = SwarmStackRenderer.stackName(project.spec)
        let client = try swarmClient()
        do {
            let names = await nodeNames(client)
            let nodes = try await client.listNodes().map { node in
                SwarmStatus.Node(name: names[node.ID] ?? node.ID, state: node.Status.State, address: node.Status.Addr)
            }.sorted { $0.name < $1.name }
            let listed = try await client.listNodes()
            let downNodes = Set(listed.filter { $0.Status.State != "ready" }.map(\.ID))
            let readyNodes = listed.count - downNodes.count
            var services: [SwarmStatus.Service] = []
            for service in try await client.listServices(labels: ["com.docker.stack.namespace=\(stack)"]).sorted(by: { $0.Spec.Name < $1.Spec.Name }) {
                let tasks = try await client.listTasks(services: [service.ID])
                let running = tasks.filter { $0.DesiredState == "running" && $0.Status.State == "running" }
                var perNode: [String: Int] = [:]
                for task in running { perNode[names[task.NodeID ?? ""] ?? task.NodeID ?? "?", default: 0] += 1 }
                let moved = SwarmRescheduling.movedOff(tasks, downNodes: downNodes).map { names[$0] ?? $0 }
                services.append(SwarmStatus.Service(
                    name: service.Spec.Name, running: running.count, desired: service.Spec.Mode?.Global != nil ? readyNodes : service.Spec.Mode?.Replicated?.Replicas ?? 0,
                    nodes: perNode, updateState: service.UpdateStatus?.State, rescheduledFrom: Array(Set(moved)).sorted()))
            }
            return SwarmStatus(stack: stack, services: services, nodes: nodes)
        } catch let error as DockerError where error.kind == .engineUnreachable {
            throw WBuildError(.engineUnavailable, error.message, hint: error.hint)
        } catch {
            throw WBuildError(.failed, "cannot read the swarm's state of stack \(stack): \(error)",
                              hint: "point DOCKER_HOST (or swarm.host) at a manager of the swarm")
        }
    }

    /// `wbuild down --target swarm`: removes the stack's services, then (once their tasks are
    /// gone) its network and secrets. Returns what was removed.
    public func swarmDown() async throws(WBuildError) -> [String] {
        let stack = SwarmStackRenderer.stackName(project.spec)
        let client = try swarmClient()
        let label = "com.docker.stack.namespace=\(stack)"
        var removed: [String] = []
        do {
            let services = try await client.listServices(labels: [label])
            for service in services {
                try await client.removeService(service.ID)
                removed.append(service.Spec.Name)
            }
            // The network and secrets can go once no task uses them.
            for _ in 0..<120 {
                // Not filtered by service: the engine answers 404 for a removed service's id.
                let ids = Set(services.map(\.ID))
                let left = try await client.listTasks(services: []).filter {
                    ids.contains($0.ServiceID) && ($0.Status.State == "running" || $0.DesiredState == "running")
                }
                if left.isEmpty || services.isEmpty { break }
                try? await Task.sleep(for: .milliseconds(250))
            }
            for network in try await client.listNetworks(labels: [label]) {
                for _ in 0..<40 {
                    do {
                        try await client.removeNetwork(network.id)
                        removed.append(network.name)
                        break
                    } catch {
                        try? await Task.sleep(for: .milliseconds(250))  // endpoints of stopped tasks go a moment later
                    }
                }
            }
            for secret in try await client.listSecrets(labels: [label]) {
                try? await client.removeSecret(secret.ID)
                removed.append(secret.Spec.Name)
            }
        } catch let error as DockerError where error.kind == .engineUnreachable {
            throw WBuildError(.engineUnavailable, error.message, hint: error.hint)
        } catch {
            throw WBuildError(.failed, "cannot remove stack \(stack): \(error)", hint: "point DOCKER_HOST (or swarm.host) at a manager of the swarm")
        }
        return removed
    }
}
