import WBuildCore

/// The labels and names wbuild puts on engine objects, so `down`, `status` and a later
/// wbuild process find them: `dev.wbuild.project`, `dev.wbuild.workload`,
/// `dev.wbuild.fingerprint`, `dev.wbuild.replica`, `dev.wbuild.sidecar` on sidecars and
/// `dev.wbuild.door` on a workload's front door, `dev.wbuild.router` on the project's router.
public enum ContainerLabels {
    public static let project = "dev.wbuild.project"
    public static let workload = "dev.wbuild.workload"
    public static let fingerprint = "dev.wbuild.fingerprint"
    public static let replica = "dev.wbuild.replica"
    public static let sidecar = "dev.wbuild.sidecar"
    /// The published ports with their names and protocols (`name|8080|http|0,…`, last field 1
    /// for the debug port), so another wbuild process can show URLs.
    public static let ports = "dev.wbuild.ports"
    /// The readiness probe (see `ProbeLabel`), for `status` from another process.
    public static let readiness = "dev.wbuild.readiness"
    /// The named volumes the container mounts (comma-separated), so `down --volumes` finds them.
    public static let volumes = "dev.wbuild.volumes"
    /// On a workload's front door (`WorkloadRuntime+Door`): its value is `1`.
    public static let door = "dev.wbuild.door"
    /// On the project's router (`WorkloadRuntime+Router`): its value is `1`. The router belongs
    /// to the project, not to a workload, so it has no `dev.wbuild.workload`.
    public static let router = "dev.wbuild.router"
    /// On the router: where it takes requests (`127.0.0.1:25776`), for `status` from any process.
    public static let routerAddress = "dev.wbuild.router.address"
    /// On the router: its control port on the same address.
    public static let routerControl = "dev.wbuild.router.control"

    /// Whether `labels` are a replica's main container (not a sidecar, not the front door).
    static func isReplica(_ labels: [String: String]) -> Bool { labels[sidecar] == nil && labels[door] == nil }

    static func isDoor(_ labels: [String: String]) -> Bool { labels[door] != nil }

    static func isRouter(_ labels: [String: String]) -> Bool { labels[router] != nil }

    static func encodePorts(_ ports: [PlannedPort], debugPort: Int?) -> String {
        ports.map { "\($0.name ?? "")|\($0.container)|\($0.protocol.rawValue)|\($0.container == debugPort ? 1 : 0)" }
            .joined(separator: ",")
    }

    /// (name, container port, protocol, is debug) from `encodePorts`.
    static func decodePorts(_ text: String?) -> [(name: String?, container: Int, protocol: String, isDebug: Bool)] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: ",").compactMap { entry in
            let fields = entry.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, let container = Int(fields[1]) else { return nil }
            return (fields[0].isEmpty ? nil : fields[0], container, fields[2], fields[3] == "1")
        }
    }

    /// The project network: `wbuild-<project>`.
    public static func networkName(project: String) -> String { "wbuild-\(project)" }

    /// `wbuild-<project>-<workload>-<replica>-<first 12 fingerprint digits>`: unique per generation.
    public static func containerName(project: String, workload: String, replica: Int, fingerprint: Fingerprint) -> String {
        "wbuild-\(project)-\(workload)-\(replica)-\(fingerprint.hex.prefix(12))"
    }

    /// `wbuild-<project>-<workload>-door`: one front door per workload (replica names end in a
    /// number and a fingerprint, so they never collide with it).
    public static func doorName(project: String, workload: String) -> String { "wbuild-\(project)-\(workload)-door" }

    /// `wbuild-<project>-router`: the project's one router (a workload's containers all have a
    /// longer name: `-<replica>-<fingerprint>` or `-door` follows the workload's).
    public static func routerName(project: String) -> String { "wbuild-\(project)-router" }

    /// The name of a sidecar of a replica container: the replica's name + `-<sidecar>`.
    public static func sidecarName(replicaName: String, sidecar: String) -> String { "\(replicaName)-\(sidecar)" }

    /// `key=value` filter of everything of a project.
    public static func projectFilter(_ project: String) -> String { "\(Self.project)=\(project)" }
    public static func workloadFilter(_ workload: String) -> String { "\(Self.workload)=\(workload)" }
}
