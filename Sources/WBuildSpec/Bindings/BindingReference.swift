/// A reference from one workload's settings to another workload's connection details:
/// `${cache.host}`, `${cache.port}`, `${cache.port.NAME}`, `${cache.url}`, `${cache.image}`.
///
/// Each reference is also a graph edge: the referring workload depends on the one it names.
public struct BindingReference: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Which detail of the workload is wanted.
    public enum Field: Sendable, Equatable, Hashable {
        /// Its host name: the container name on the project network locally, the Service name in Kubernetes.
        case host
        /// A container port: the named one, or the first declared when `name` is nil.
        case port(name: String?)
        /// `SCHEME://host:port` of its first port.
        case url
        /// The image reference it runs.
        case image
    }

    public var workload: String
    public var field: Field

    public init(workload: String, field: Field) {
        self.workload = workload
        self.field = field
    }

    /// The reference as it is written in the file, e.g. `${cache.port.redis}`.
    public var description: String {
        switch field {
        case .host: return "${\(workload).host}"
        case .port(nil): return "${\(workload).port}"
        case .port(let name?): return "${\(workload).port.\(name)}"
        case .url: return "${\(workload).url}"
        case .image: return "${\(workload).image}"
        }
    }
}
