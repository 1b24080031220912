/// The values of a Kubernetes rendering that differ between clusters (images, replicas,
/// resources, autoscaling, ingress class and hosts, the namespace), asked for by the object
/// builders at a path of Helm's `values.yaml` (`["workloads", "api", "replicas"]`).
///
/// `--target kubernetes` writes each value as it is (`LiteralValues`); `--target helm` writes a
/// template expression that reads it and records it as the default (`HelmValues`), so the
/// same builders give both, and `helm template` with the defaults gives the same objects.
protocol ClusterValues: AnyObject {
    /// `literal`, or what reads it from `path`.
    func value(_ literal: RenderValue, at path: [String]) -> RenderValue

    /// A map entry present only when it has a value: `literal`, or what reads `path` guarded by
    /// its being non-empty (`empty` is the default recorded when `literal` is nil).
    func optional(_ literal: RenderValue?, at path: [String], empty: RenderValue) -> RenderValue?

    /// A map entry present only while a switch is off (a Deployment's `replicas`, dropped while
    /// its autoscaler is on).
    func unless(_ isOn: Bool, at path: [String], _ entry: RenderValue) -> RenderValue?

    /// The image a container runs.
    func image(_ image: RenderedImage, at path: [String]) -> RenderValue

    /// Whether a whole object is written, and the condition a template wraps it in.
    func gate(_ isOn: Bool, at path: [String]) -> ObjectGate
}

/// Whether an object is written at all (`include`), and for a template, the condition that
/// keeps it (`{{- if CONDITION }}` around the file).
struct ObjectGate {
    var include: Bool
    var condition: String?

    static let always = ObjectGate(include: true, condition: nil)
}

/// `--target kubernetes`: every value as it is.
final class LiteralValues: ClusterValues {
    func value(_ literal: RenderValue, at path: [String]) -> RenderValue { literal }

    func optional(_ literal: RenderValue?, at path: [String], empty: RenderValue) -> RenderValue? { literal }

    func unless(_ isOn: Bool, at path: [String], _ entry: RenderValue) -> RenderValue? { isOn ? nil : entry }

    func image(_ image: RenderedImage, at path: [String]) -> RenderValue { .string(image.reference) }

    func gate(_ isOn: Bool, at path: [String]) -> ObjectGate { ObjectGate(include: isOn, condition: nil) }
}
