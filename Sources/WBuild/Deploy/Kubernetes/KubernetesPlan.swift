import WBuildRender

/// What `deploy --target kubernetes` does to one object: create what the cluster lacks,
/// update what differs (by `dev.wbuild.fingerprint`), leave what matches, prune what the
/// project's label finds but no longer renders.
public enum KubernetesChange: Sendable, Equatable {
    case create(RenderedObject)
    case update(RenderedObject, live: LiveObject)
    case unchanged(RenderedObject, live: LiveObject)
    case prune(LiveObject)

    /// `create`, `update`, `unchanged`, `prune`.
    public var verb: String {
        switch self {
        case .create: return "create"
        case .update: return "update"
        case .unchanged: return "unchanged"
        case .prune: return "prune"
        }
    }

    public var kind: String {
        switch self {
        case .create(let object), .update(let object, _), .unchanged(let object, _): return object.kind
        case .prune(let live): return live.kind
        }
    }

    public var displayName: String {
        switch self {
        case .create(let object), .update(let object, _), .unchanged(let object, _): return object.displayName
        case .prune(let live): return live.displayName
        }
    }

    /// The rendered object, for everything but a prune.
    public var rendered: RenderedObject? {
        switch self {
        case .create(let object), .update(let object, _), .unchanged(let object, _): return object
        case .prune: return nil
        }
    }
}

/// The diff of a rendering against the live objects. Pure: tested without a cluster.
public enum KubernetesPlan {
    /// The kinds wbuild renders, as `kubectl get` names them (group-qualified, so no other
    /// API group's kind of the same name answers). HTTPRoute is asked for only when rendered:
    /// a cluster without the Gateway API does not serve it.
    public static let resources: [(kind: String, resource: String)] = [
        ("Namespace", "namespaces"), ("ConfigMap", "configmaps"), ("Secret", "secrets"), ("Service", "services"),
        ("PersistentVolumeClaim", "persistentvolumeclaims"), ("Deployment", "deployments.apps"),
        ("HorizontalPodAutoscaler", "horizontalpodautoscalers.autoscaling"), ("Ingress", "ingresses.networking.k8s.io"),
        ("HTTPRoute", "httproutes.gateway.networking.k8s.io"),
    ]

    /// The resources to list for `objects`: every core kind, and HTTPRoute when rendered.
    public static func resourcesToList(_ objects: [RenderedObject]) -> [String] {
        resources.filter { $0.kind != "HTTPRoute" || objects.contains { $0.kind == "HTTPRoute" } }.map(\.resource)
    }

    /// One change per rendered object, in rendering order, then the prunes (namespaces last,
    /// since deleting one deletes what is in it).
    public static func changes(desired: [RenderedObject], live: [LiveObject]) -> [KubernetesChange] {
        func key(_ kind: String, _ namespace: String?, _ name: String) -> String { "\(kind)\u{0}\(namespace ?? "")\u{0}\(name)" }
        var byKey: [String: LiveObject] = [:]
        for object in live { byKey[key(object.kind, object.namespace, object.name)] = object }
        var changes: [KubernetesChange] = []
        var matched: Set<String> = []
        for object in desired {
            let id = key(object.kind, object.namespace, object.name)
            guard let current = byKey[id] else {
                changes.append(.create(object))
                continue
            }
            matched.insert(id)
            changes.append(current.fingerprint == object.fingerprint ? .unchanged(object, live: current) : .update(object, live: current))
        }
        let prunes = live.filter { !matched.contains(key($0.kind, $0.namespace, $0.name)) }
            .sorted { ($0.kind == "Namespace" ? 1 : 0, $0.displayName) < ($1.kind == "Namespace" ? 1 : 0, $1.displayName) }
        return changes + prunes.map(KubernetesChange.prune)
    }
}
