import WBuildDocker

/// What a deploy does to each service: the spec's services against the live ones of the stack.
public enum SwarmChange: Sendable, Equatable {
    case create(SwarmDesiredService)
    /// `changed`: the parts whose digests differ (`image`, `env`, `replicas`, …).
    case update(SwarmDesiredService, live: SwarmService, changed: [String])
    case unchanged(SwarmDesiredService, live: SwarmService)
    /// A service of the stack the spec no longer has.
    case remove(SwarmService)

    public var serviceName: String {
        switch self {
        case .create(let desired), .update(let desired, _, _), .unchanged(let desired, _): return desired.spec.Name
        case .remove(let live): return live.Spec.Name
        }
    }

    /// `create`, `update`, `unchanged`, `remove`.
    public var verb: String {
        switch self {
        case .create: return "create"
        case .update: return "update"
        case .unchanged: return "unchanged"
        case .remove: return "remove"
        }
    }
}

/// Compares by service name; a live service whose fingerprint label equals the desired one is
/// unchanged, whatever else the engine added to its spec.
public enum SwarmPlan {
    public static func changes(desired: [SwarmDesiredService], live: [SwarmService]) -> [SwarmChange] {
        var byName = Dictionary(live.map { ($0.Spec.Name, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [SwarmChange] = []
        for service in desired {
            guard let current = byName.removeValue(forKey: service.spec.Name) else {
                changes.append(.create(service))
                continue
            }
            let labels = current.Spec.Labels ?? [:]
            if labels[SwarmDesiredService.fingerprintLabel] == service.fingerprint {
                changes.append(.unchanged(service, live: current))
            } else {
                let old = SwarmDesiredService.fields(fromLabel: labels[SwarmDesiredService.fieldsLabel])
                var changed = service.fields.keys.filter { old[$0] != service.fields[$0] }.sorted()
                if changed.isEmpty { changed = ["labels"] }
                changes.append(.update(service, live: current, changed: changed))
            }
        }
        for stale in byName.values.sorted(by: { $0.Spec.Name < $1.Spec.Name }) {
            changes.append(.remove(stale))
        }
        return changes
    }
}
