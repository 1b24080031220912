import Foundation
import WBuildDocker
import WBuildSpec

/// `wbuild doctor --target swarm`: the manager wbuild deploys through (`swarm.host`, else
/// `DOCKER_HOST`), its nodes, and whether this kernel has IPVS — without it Swarm's routing
/// mesh and service virtual IPs do not answer, which wbuild's deploy does not need (services
/// use DNS round robin, the router publishes in host mode) but `docker stack deploy` of other
/// stacks does.
enum SwarmChecks {
    static func run(spec: ProjectSpec?, procRoot: String = "/proc") async -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        let client: DockerClient
        do {
            if let host = spec?.swarm?.host {
                client = DockerClient(host: try DockerHost.parse(host))
            } else {
                client = try DockerClient()
            }
        } catch {
            return [DoctorCheck("swarm", .failed, error.message, fix: error.hint ?? "set DOCKER_HOST or swarm.host to a swarm manager")]
        }
        do {
            let membership = try await client.swarmMembership()
            if membership.localNodeState != "active" {
                checks.append(DoctorCheck("swarm", .failed, "the engine at \(client.host) is in no swarm (state \(membership.localNodeState))",
                                          fix: "point DOCKER_HOST (or swarm.host) at a manager, or `wbuild deploy --target swarm --init` for a one-node swarm"))
            } else if !membership.isManager {
                checks.append(DoctorCheck("swarm", .failed, "the engine at \(client.host) is a worker; services are made on managers",
                                          fix: "point DOCKER_HOST (or swarm.host) at a manager (`docker node ls` on one lists them)"))
            } else {
                checks.append(DoctorCheck("swarm", .ok, "the engine at \(client.host) is a swarm manager"))
                let nodes = try await client.listNodes()
                let down = nodes.filter { $0.Status.State != "ready" }
                checks.append(down.isEmpty
                    ? DoctorCheck("swarm nodes", .ok, "\(nodes.count) node\(nodes.count == 1 ? "" : "s"), all ready")
                    : DoctorCheck("swarm nodes", .warning,
                                  "\(down.count) of \(nodes.count) nodes not ready: \(down.map { $0.Description?.Hostname ?? String($0.ID.prefix(12)) }.joined(separator: ", "))",
                                  fix: "start their dockerd, or `docker node rm` nodes that are gone; their tasks run elsewhere meanwhile"))
            }
        } catch let error as DockerError where error.kind == .engineUnreachable {
            return [DoctorCheck("swarm", .failed, error.message, fix: error.hint)]
        } catch {
            checks.append(DoctorCheck("swarm", .failed, "cannot ask the engine at \(client.host) about its swarm: \(error)"))
        }
        checks.append(ipvsCheck(procRoot: procRoot))
        return checks
    }

    /// IPVS shows as `/proc/net/ip_vs` once the kernel has it (built in or loaded).
    static func ipvsCheck(procRoot: String) -> DoctorCheck {
        if FileManager.default.fileExists(atPath: procRoot + "/net/ip_vs") {
            return DoctorCheck("IPVS", .ok, "this kernel has IPVS: Swarm's routing mesh and service VIPs work")
        }
        return DoctorCheck(
            "IPVS", .warning,
            "this kernel has no IPVS (\(procRoot)/net/ip_vs is missing): Swarm's ingress routing mesh and service virtual IPs do not answer here. wbuild's deploy does not use them — services resolve by DNS round robin (endpoint mode dnsrr) and the router is published in host mode on each node — but stacks that publish ports through the mesh will not answer",
            fix: "nothing for wbuild; for the mesh, a kernel with CONFIG_IP_VS (`modprobe ip_vs` where it is a module)")
    }
}
