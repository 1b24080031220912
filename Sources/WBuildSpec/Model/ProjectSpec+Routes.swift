// Routes are `WBuildRouter` rules: whoever reads a spec's routes gets the matcher's types with it.
@_exported import WBuildRouter

extension ProjectSpec {
    /// Every workload's routes, in declaration order: the one table the router and every
    /// rendering match requests with.
    public var routeTable: RouteTable {
        RouteTable(workloads.flatMap(\.routes))
    }

    /// Whether any workload has a route (and so the router has something to do).
    public var hasRoutes: Bool {
        workloads.contains { !$0.routes.isEmpty }
    }
}

extension WorkloadSpec {
    /// The port routes send requests to: the first whose protocol is http, http2 or grpc.
    public var routePort: PortSpec? {
        Self.routePort(in: ports)
    }

    static func routePort(in ports: [PortSpec]) -> PortSpec? {
        ports.first { [.http, .http2, .grpc].contains($0.protocol) }
    }
}
