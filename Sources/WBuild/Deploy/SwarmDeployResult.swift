/// What `wbuild deploy --target swarm` did (or, with `--plan`, would do) per service.
public struct SwarmDeployResult: Sendable, Equatable {
    /// One service's change and where it ended up.
    public struct Service: Sendable, Equatable {
        public var name: String
        /// `create`, `update`, `unchanged`, `remove`.
        public var action: String
        /// For an update: the parts that changed (`image`, `env`, `replicas`, …).
        public var changed: [String]
        public var running: Int?
        public var desired: Int?
        /// Node name → running tasks, once converged.
        public var nodes: [String: Int]
        public var failure: String?
    }

    public var stack: String
    public var services: [Service]
    /// Whether this was `--plan` (nothing applied).
    public var planned: Bool
    /// How long the deploy took, planning and waiting included.
    public var milliseconds: Int

    public var ok: Bool { services.allSatisfy { $0.failure == nil } }
}

/// How `wbuild deploy --target swarm` runs.
public struct SwarmDeployOptions: Sendable, Equatable {
    /// Print the plan, change nothing.
    public var plan: Bool
    /// Wait until every created or updated service has converged.
    public var wait: Bool
    public var timeout: Duration
    /// Make the engine a one-node swarm when it is in none.
    public var initSwarm: Bool

    public init(plan: Bool = false, wait: Bool = true, timeout: Duration = .seconds(180), initSwarm: Bool = false) {
        self.plan = plan
        self.wait = wait
        self.timeout = timeout
        self.initSwarm = initSwarm
    }
}

extension SwarmDeployResult {
    /// `{"type":"deploy","target":"swarm","ok":…,"stack":…,"planned":…,"ms":…,"services":[…]}`.
    public var json: JSONText {
        .object([
            ("type", .string("deploy")),
            ("target", .string("swarm")),
            ("ok", .bool(ok)),
            ("stack", .string(stack)),
            ("planned", .bool(planned)),
            ("ms", .int(milliseconds)),
            ("services", .array(services.map { service in
                var pairs: [(String, JSONText)] = [("name", .string(service.name)), ("action", .string(service.action))]
                if !service.changed.isEmpty { pairs.append(("changed", .array(service.changed.map(JSONText.string)))) }
                if let running = service.running { pairs.append(("running", .int(running))) }
                if let desired = service.desired { pairs.append(("desired", .int(desired))) }
                if !service.nodes.isEmpty {
                    pairs.append(("nodes", .object(service.nodes.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })))
                }
                if let failure = service.failure { pairs.append(("error", .string(failure))) }
                return .object(pairs)
            })),
        ])
    }
}

extension SwarmStatus {
    /// `{"type":"swarm-status","stack":…,"nodes":[…],"services":[…]}`.
    public var json: JSONText {
        .object([
            ("type", .string("swarm-status")),
            ("stack", .string(stack)),
            ("nodes", .array(nodes.map { .object([("name", .string($0.name)), ("state", .string($0.state)), ("address", $0.address.map(JSONText.string) ?? .null)]) })),
            ("services", .array(services.map { service in
                .object([
                    ("name", .string(service.name)), ("running", .int(service.running)), ("desired", .int(service.desired)),
                    ("nodes", .object(service.nodes.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
                    ("updateState", service.updateState.map(JSONText.string) ?? .null),
                    ("rescheduledFrom", .array(service.rescheduledFrom.map(JSONText.string))),
                ])
            })),
        ])
    }
}
