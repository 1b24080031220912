import WBuildSpec

/// What a sidecar loses on Swarm, said once for `render --target swarm` and `deploy --target
/// swarm`: Swarm has no pods, so a sidecar runs as a service of its own and its 127.0.0.1 is
/// itself, not the workload it sits beside.
public enum SwarmSidecarNetwork {
    /// The warning for `sidecar` of `workload`; it names the loopback address the sidecar uses,
    /// when its command, entrypoint or environment has one.
    public static func warning(_ sidecar: SidecarSpec, of workload: String) -> String {
        let base = "\(workload)'s sidecar \(sidecar.name) runs as the service \(workload)-\(sidecar.name): Swarm has no pods, so it does not share \(workload)'s network (127.0.0.1 there is itself; reach \(workload) by its name)"
        guard let loopback = loopbackAddress(in: sidecar) else { return base }
        return base + "; it asks for \(loopback), which will not reach \(workload) on a swarm: write `${\(workload).host}` instead"
    }

    /// The first loopback address (`127.0.0.1`, `localhost`, `[::1]`) in the sidecar's words.
    static func loopbackAddress(in sidecar: SidecarSpec) -> String? {
        let words = (sidecar.entrypoint ?? []) + (sidecar.command ?? []) + sidecar.env.map(\.value)
        for candidate in ["127.0.0.1", "localhost", "[::1]"] where words.contains(where: { $0.contains(candidate) }) {
            return candidate
        }
        return nil
    }
}
