/// A resolved `dependsOn` entry: the task or workload that must be ready first.
///
/// The file may write a plain name (resolved to the task or workload with that name;
/// names are unique across both) or a qualified `task:NAME` / `workload:NAME`.
public struct DependencyReference: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Which kind of thing is depended on.
    public enum Kind: String, Sendable, Equatable, Hashable {
        case task
        case workload
    }

    public var kind: Kind
    public var name: String

    public init(_ kind: Kind, _ name: String) {
        self.kind = kind
        self.name = name
    }

    /// The graph node id it names: `task:NAME` or `workload:NAME`.
    public var nodeID: String { "\(kind.rawValue):\(name)" }

    public var description: String { nodeID }
}
