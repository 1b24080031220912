import WBuildCore
import WBuildDocker

/// The create body of the project's router: the `wbuild-router` image on the project network,
/// its listening port published on the plan's host address and port (the app's one URL), its
/// control port unpublished (wbuild dials its project-network address, authenticated with the
/// secret written before it starts, as for the doors). `unless-stopped`: the app's URL is back
/// after an engine restart, and the runtime sends it its table again when it sees the `start`.
struct RouterBlueprint {
    let plan: RouterPlan
    /// The router image reference (`HelperImage.router`).
    let image: String

    var name: String { ContainerLabels.routerName(project: plan.project) }

    var fingerprint: Fingerprint { plan.containerFingerprint(image: image) }

    func config() -> ContainerConfig {
        let key = "\(RouterBinary.defaultListenPort)/tcp"
        let network = ContainerLabels.networkName(project: plan.project)
        return ContainerConfig(
            image: image,
            cmd: ["--listen", String(RouterBinary.defaultListenPort), "--control", String(RouterBinary.defaultControlPort),
                  "--hold-ms", String(plan.holdMs)],
            labels: [
                ContainerLabels.project: plan.project,
                ContainerLabels.router: "1",
                ContainerLabels.fingerprint: fingerprint.hex,
            ],
            exposedPorts: [key: EmptyObject()], stopTimeout: 1,
            hostConfig: HostConfig(portBindings: [key: [PortBinding(hostIp: plan.host, hostPort: String(plan.port))]],
                                   networkMode: network, restartPolicy: RestartPolicy(name: "unless-stopped")),
            networkingConfig: NetworkingConfig(endpointsConfig: [network: EndpointSettings(aliases: nil)]))
    }
}
