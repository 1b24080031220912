import WBuildRender

/// How `wbuild deploy --target kubernetes|helm` runs.
public struct KubernetesDeployOptions: Sendable, Equatable {
    /// `kubernetes` (kubectl apply of the rendered objects) or `helm` (the rendered chart).
    public var target: RenderTarget
    /// `--context`: the kube context, over `kubernetes.cluster.context` and the kubeconfig's current one.
    public var context: String?
    /// Print the plan, change nothing.
    public var plan: Bool
    /// Wait until every changed Deployment has rolled out.
    public var wait: Bool
    public var timeout: Duration
    /// `--kube-version`; nil asks the cluster.
    public var kubeVersion: KubernetesVersion?

    public init(target: RenderTarget, context: String? = nil, plan: Bool = false, wait: Bool = true,
                timeout: Duration = .seconds(180), kubeVersion: KubernetesVersion? = nil) {
        self.target = target
        self.context = context
        self.plan = plan
        self.wait = wait
        self.timeout = timeout
        self.kubeVersion = kubeVersion
    }
}

/// What `deploy --target kubernetes|helm` did (or, with `--plan`, would do) per object or
/// release, and how each Deployment ended.
public struct KubernetesDeployResult: Sendable, Equatable {
    /// One object (kubernetes) or the release (helm): what was done to it.
    public struct Item: Sendable, Equatable {
        /// `Deployment shop/api`, `release shop`.
        public var name: String
        /// `create`, `update`, `unchanged`, `prune` (helm: `install`, `upgrade`, `unchanged`).
        public var action: String
        public var failure: String?
    }

    /// One Deployment's rollout.
    public struct Rollout: Sendable, Equatable {
        public var name: String
        public var ready: Int
        public var desired: Int
        public var failure: String?
    }

    public var target: RenderTarget
    public var context: String
    public var namespace: String
    public var items: [Item]
    public var rollouts: [Rollout]
    /// Whether this was `--plan` (nothing applied).
    public var planned: Bool
    public var milliseconds: Int
    /// Helm: the release was rolled back (`--atomic`) after a failed upgrade.
    public var rolledBack: Bool = false

    public var ok: Bool { items.allSatisfy { $0.failure == nil } && rollouts.allSatisfy { $0.failure == nil } }
    /// Every item unchanged.
    public var unchanged: Bool { items.allSatisfy { $0.action == "unchanged" } }

    /// `{"type":"deploy","target":"kubernetes","ok":…,"context":…,"namespace":…,"planned":…,"ms":…,"objects":[…],"rollouts":[…]}`.
    public var json: JSONText {
        .object([
            ("type", .string("deploy")),
            ("target", .string(target.rawValue)),
            ("ok", .bool(ok)),
            ("context", .string(context)),
            ("namespace", .string(namespace)),
            ("planned", .bool(planned)),
            ("unchanged", .bool(unchanged)),
            ("rolledBack", .bool(rolledBack)),
            ("ms", .int(milliseconds)),
            ("objects", .array(items.map { item in
                var pairs: [(String, JSONText)] = [("name", .string(item.name)), ("action", .string(item.action))]
                if let failure = item.failure { pairs.append(("error", .string(failure))) }
                return .object(pairs)
            })),
            ("rollouts", .array(rollouts.map { rollout in
                var pairs: [(String, JSONText)] = [("name", .string(rollout.name)), ("ready", .int(rollout.ready)),
                                                   ("desired", .int(rollout.desired))]
                if let failure = rollout.failure { pairs.append(("error", .string(failure))) }
                return .object(pairs)
            })),
        ])
    }
}
