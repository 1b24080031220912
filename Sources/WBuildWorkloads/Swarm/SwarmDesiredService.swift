import Foundation
import WBuildCore
import WBuildDocker

/// One service a swarm deploy wants: its spec, labelled with its fingerprint and with a short
/// digest per part (`image`, `process`, `replicas`, …), so that a plan can say what changed
/// without reading back and comparing the engine's own rendering of the spec.
public struct SwarmDesiredService: Sendable, Equatable {
    public static let fingerprintLabel = "dev.wbuild.fingerprint"
    public static let fieldsLabel = "dev.wbuild.fields"

    /// The workload (and, for a sidecar's service, `workload-sidecar`).
    public let workload: String
    public let spec: SwarmServiceSpec
    public let fingerprint: String
    /// Part → 12 hex.
    public let fields: [String: String]

    /// `spec` with the fingerprint and field labels added: the fingerprint covers everything
    /// the spec says, labels included, apart from those two.
    public init(workload: String, spec: SwarmServiceSpec) {
        self.workload = workload
        let parts = Self.parts(of: spec)
        fields = parts.mapValues { Self.digest($0) }
        fingerprint = Self.digest(Self.encoded(spec))
        var labelled = spec
        labelled.Labels[Self.fingerprintLabel] = fingerprint
        labelled.Labels[Self.fieldsLabel] = fields.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
        self.spec = labelled
    }

    /// The field digests a live service carries, from its label.
    public static func fields(fromLabel text: String?) -> [String: String] {
        var fields: [String: String] = [:]
        for item in (text ?? "").split(separator: ",") {
            let pair = item.split(separator: ":", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        return fields
    }

    private static func parts(of spec: SwarmServiceSpec) -> [String: [UInt8]] {
        let container = spec.TaskTemplate.ContainerSpec
        struct Process: Encodable { var Command: [String]?; var Args: [String]?; var Dir: String? }
        return [
            "image": encoded(container.Image),
            "process": encoded(Process(Command: container.Command, Args: container.Args, Dir: container.Dir)),
            "env": encoded(container.Env),
            "secrets": encoded(container.Secrets),
            "mounts": encoded(container.Mounts),
            "healthcheck": encoded(container.Healthcheck),
            "stopGrace": encoded(container.StopGracePeriod),
            "resources": encoded(spec.TaskTemplate.Resources),
            "restart": encoded(spec.TaskTemplate.RestartPolicy),
            "placement": encoded(spec.TaskTemplate.Placement),
            "networks": encoded(spec.TaskTemplate.Networks),
            "replicas": encoded(spec.Mode),
            "rollout": encoded([spec.UpdateConfig, spec.RollbackConfig]),
            "endpoint": encoded(spec.EndpointSpec),
            "labels": encoded([spec.Labels, container.Labels ?? [:]]),
        ]
    }

    static func encoded<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(value))) ?? Array("\(value)".utf8)
    }

    static func digest(_ bytes: [UInt8]) -> String {
        String(SHA256.hash(bytes).hexString.prefix(12))
    }
}
