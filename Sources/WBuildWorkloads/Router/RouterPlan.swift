import WBuildCore
import WBuildRouter
import WBuildSpec

/// What the project's router is to do: the route table in the order the router reads it (the
/// first rule that matches takes a request: `RouteTable.byPrecedence`), where each routed
/// workload listens, and the router's own settings. A value, tested without an engine; the
/// runtime applies it (`WorkloadRuntime+Router`).
public struct RouterPlan: Sendable, Equatable {
    /// The port of a routed workload's replicas that requests go to, and how it speaks.
    public struct Target: Sendable, Equatable {
        public var port: Int
        /// `h2` for a port declared `http2` or `grpc` (reached by host, passed through whole), else `http`.
        public var wire: String
    }

    public let project: String
    /// Rules in precedence order.
    public let rules: [RouteRule]
    /// Routed workload → where its replicas take requests.
    public let targets: [String: Target]
    /// The host address and port the router is published on.
    public let host: String
    public let port: Int
    /// How long a request waits for a ready replica before a 503.
    public let holdMs: Int

    public init(spec: ProjectSpec, port: Int) {
        project = spec.name
        rules = spec.routeTable.byPrecedence
        var targets: [String: Target] = [:]
        for workload in spec.workloads where !workload.routes.isEmpty {
            guard let routePort = workload.routePort else { continue }
            let wire = routePort.protocol == .http2 || routePort.protocol == .grpc ? "h2" : "http"
            targets[workload.name] = Target(port: routePort.container, wire: wire)
        }
        self.targets = targets
        host = spec.router.host
        self.port = port
        holdMs = spec.router.holdMs
    }

    /// The app's address: `http://127.0.0.1:8000`.
    public var url: String { "http://\(host):\(port)" }

    /// What decides whether the running router holds this table: its rules and targets. A
    /// change is pushed to the running router (`BEGIN` … `COMMIT`), never a new container, so
    /// open connections stay open.
    public var tableFingerprint: Fingerprint {
        var builder = FingerprintBuilder(kind: "router-table")
        builder.add("rules", controlRouteLines)
        builder.add("targets", targets.sorted { $0.key < $1.key }.map { "\($0.key)|\($0.value.port)|\($0.value.wire)" })
        return builder.finish()
    }

    /// What decides whether a running router container is still right: its image, where it
    /// listens (in the host's network namespace), and the hold (a command-line flag).
    func containerFingerprint(image: String) -> Fingerprint {
        var builder = FingerprintBuilder(kind: "router")
        builder.add("image", image)
        builder.add("network", "host")
        builder.add("listen", "\(host)|\(port)")
        builder.add("holdMs", String(holdMs))
        return builder.finish()
    }

    /// The node's fingerprint: the table and the settings.
    var fingerprint: Fingerprint {
        var builder = FingerprintBuilder(kind: "router-node")
        builder.add("table", tableFingerprint)
        builder.add("publish", "\(host)|\(port)|\(holdMs)")
        return builder.finish()
    }

    /// `ROUTE <workload> <exact|prefix> <host|-> <0|1> <path>`, in precedence order.
    var controlRouteLines: [String] {
        routeArguments.map { "ROUTE " + $0 }
    }

    /// Each rule as the router's `ROUTE` line (and `--route` argument) takes it, in precedence
    /// order: `api prefix - 1 /api`.
    public var routeArguments: [String] {
        rules.map { rule in
            "\(rule.workload) \(rule.match.rawValue) \(rule.host ?? "-") \(rule.stripPrefix ? 1 : 0) \(rule.path)"
        }
    }
}
