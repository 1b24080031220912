import WBuildDocker
import WBuildSpec

/// The project's routes on a swarm: `wbuild-router` as a global service (a task on every
/// node), published in host mode on `router.port` of each node, with the route table as its
/// `--route` arguments and each routed workload's replicas discovered as the A records of
/// `tasks.<stack>_<workload>` (the swarm's running, healthy tasks).
///
/// Host mode and DNS rather than the routing mesh and virtual IPs, because those need IPVS,
/// which many kernels (these machines' among them) lack. A fixed host port cannot have two
/// tasks on one node, so updates are stop-first, one node at a time.
public enum SwarmRouterService {
    /// `<stack>_router`; its workload label is `router`.
    public static func name(stack: String) -> String { "\(stack)_router" }

    /// The port the router listens on inside its task.
    static let listenPort = 8000

    /// The router's service, or nil when the project has no routes.
    public static func service(_ deployment: SwarmDeployment, image: String) -> SwarmDesiredService? {
        let spec = deployment.spec
        guard spec.hasRoutes else { return nil }
        let plan = RouterPlan(spec: spec, port: listenPort)
        var arguments = ["--listen", String(listenPort), "--hold-ms", String(plan.holdMs)]
        for route in plan.routeArguments { arguments += ["--route", route] }
        for (workload, target) in plan.targets.sorted(by: { $0.key < $1.key }) {
            arguments += ["--discover", "\(workload) tasks.\(deployment.stack)_\(workload) \(target.port) \(target.wire)"]
        }
        var labels = deployment.stackLabels
        labels["com.docker.stack.image"] = image
        labels["dev.wbuild.workload"] = "router"
        let container = SwarmServiceSpec.ContainerSpec(Image: image, Labels: deployment.stackLabels, Args: arguments,
                                                       StopGracePeriod: 1_000_000_000)
        let published = spec.router.port ?? RouterBinary.defaultListenPort
        let serviceSpec = SwarmServiceSpec(
            Name: name(stack: deployment.stack), Labels: labels,
            TaskTemplate: .init(ContainerSpec: container,
                                RestartPolicy: .init(Condition: "any", Delay: 1_000_000_000, MaxAttempts: 0),
                                Networks: [.init(Target: deployment.networkName, Aliases: ["router"])]),
            Mode: .global,
            UpdateConfig: .init(Parallelism: 1, Delay: 0, FailureAction: "rollback", Monitor: 2_000_000_000, MaxFailureRatio: 0,
                                Order: "stop-first"),
            RollbackConfig: .init(Parallelism: 1, Delay: 0, FailureAction: "pause", Monitor: 2_000_000_000, MaxFailureRatio: 0,
                                  Order: "stop-first"),
            EndpointSpec: .init(Mode: "dnsrr", Ports: [.init(TargetPort: listenPort, PublishedPort: published, PublishMode: "host")]))
        return SwarmDesiredService(workload: "router", spec: serviceSpec)
    }
}
