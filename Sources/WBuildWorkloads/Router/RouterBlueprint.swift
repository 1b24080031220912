import WBuildCore
import WBuildDocker

/// The create body of the project's router: the `wbuild-router` image in the engine host's
/// network namespace (`NetworkMode: host`), listening straight on the plan's host address and
/// port (the app's one URL) and serving its control protocol on `controlPort` of the same address.
/// It reaches replicas at their project-network addresses, as the engine's host does.
///
/// Why the host's network and not a published port on the project network: a published port
/// goes through the engine's userland proxy (docker-proxy) for every loopback connection, which
/// halved the router's requests per second and added a hop nginx on the host does not pay
/// (Benchmarks/README.md, suite `router`). In the host's namespace a request takes one hop from
/// the client to the router and one from the router to a replica. The control port is on the
/// same address (127.0.0.1 unless `router.host` says otherwise) and, like every helper's,
/// answers only a connection that authenticates with the secret written before it starts.
/// `unless-stopped`: the app's URL is back after an engine restart, and the runtime sends the
/// router its table again when it sees the `start` (or after an outage, in the reconciliation).
struct RouterBlueprint {
    let plan: RouterPlan
    /// The router image reference (`HelperImage.router`).
    let image: String
    /// Its control port on the plan's host address, chosen free when the container is made.
    var controlPort: Int = RouterBinary.defaultControlPort

    var name: String { ContainerLabels.routerName(project: plan.project) }

    var fingerprint: Fingerprint { plan.containerFingerprint(image: image) }

    func config() -> ContainerConfig {
        ContainerConfig(
            image: image,
            cmd: ["--bind", plan.host, "--listen", String(plan.port), "--control", String(controlPort),
                  "--hold-ms", String(plan.holdMs)],
            labels: [
                ContainerLabels.project: plan.project,
                ContainerLabels.router: "1",
                ContainerLabels.fingerprint: fingerprint.hex,
                ContainerLabels.routerAddress: "\(plan.host):\(plan.port)",
                ContainerLabels.routerControl: String(controlPort),
            ],
            stopTimeout: 1,
            hostConfig: HostConfig(networkMode: "host", restartPolicy: RestartPolicy(name: "unless-stopped")))
    }
}
