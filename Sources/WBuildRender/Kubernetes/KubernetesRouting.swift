import WBuildSpec

/// Routes as cluster objects: an Ingress per workload (`networking.k8s.io/v1`), or a Gateway
/// API HTTPRoute per workload and host (`routesAs: "httproute"`), selecting the same backend
/// for every path as the local router (`RouteTable.match`).
///
/// Two differences between the router and an Ingress controller are rendered away:
/// - The router falls back to host-less routes when no route of the request's host matches;
///   an Ingress host's rules do not. Each host-less route is repeated under every host whose
///   own routes do not already take all of its requests.
/// - An Ingress cannot strip a prefix. With the `nginx` class every path becomes an
///   ingress-nginx regex (`/api(/|$)(.*)`, longest first, as the router's longest prefix), and
///   the routes that strip go in an Ingress of their own with `rewrite-target: /$2`. Other
///   classes: an error naming the route, pointing to `routesAs: "httproute"`.
struct KubernetesRouting {
    let spec: ProjectSpec
    let settings: KubernetesSettings
    let values: any ClusterValues
    let metadata: KubernetesMetadata

    /// One route under one host (its own, a copy's, or none).
    struct Placement {
        var rule: RouteRule
        var host: String?
        /// `workloads.api.routes[0]`.
        var keyPath: String
    }

    func objects(problems: inout [RenderProblem], warnings: inout [String]) -> [KubernetesObject] {
        guard spec.hasRoutes else { return [] }
        switch settings.routesAs {
        case .none: return []
        case .httpRoute: return httpRoutes()
        case .ingress: return ingresses(problems: &problems, warnings: &warnings)
        }
    }

    private var enabledGate: ObjectGate { values.gate(true, at: ["ingress", "enabled"]) }

    /// Every route with its key path, in declaration order.
    private var routes: [(rule: RouteRule, keyPath: String)] {
        spec.workloads.flatMap { workload in
            workload.routes.enumerated().map { ($0.element, "workloads.\(workload.name).routes[\($0.offset)]") }
        }
    }

    /// Each route under its own host, and each host-less one also under every host that does
    /// not take all of its requests itself (a prefix route of that host at or above its path).
    var placements: [Placement] {
        let hosts = routes.compactMap(\.rule.host).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var placements: [Placement] = []
        for (rule, keyPath) in routes {
            placements.append(Placement(rule: rule, host: rule.host, keyPath: keyPath))
            guard rule.host == nil else { continue }
            for host in hosts where !routes.contains(where: { $0.rule.host == host && Self.covers($0.rule, rule.path) }) {
                placements.append(Placement(rule: rule, host: host, keyPath: keyPath))
            }
        }
        return placements
    }

    /// Whether `rule` takes every request at or below `path`.
    static func covers(_ rule: RouteRule, _ path: String) -> Bool {
        guard rule.match == .prefix else { return false }
        return rule.path == "/" || path == rule.path || path.hasPrefix(rule.path + "/")
    }

    /// Whether a route strips anything (stripping `/` changes nothing).
    static func strips(_ rule: RouteRule) -> Bool { rule.stripPrefix && rule.path != "/" }

    // MARK: Ingress

    private func ingresses(problems: inout [RenderProblem], warnings: inout [String]) -> [KubernetesObject] {
        let placements = self.placements
        let regex = placements.contains { Self.strips($0.rule) }
        if regex {
            guard settings.ingressClass == "nginx" else {
                for placement in placements where Self.strips(placement.rule) && placement.host == placement.rule.host {
                    problems.append(RenderProblem(
                        keyPath: placement.keyPath,
                        "stripPrefix cannot be expressed by an Ingress of class \(settings.ingressClass.map { "\"\($0)\"" } ?? "(none)"): the Ingress API has no rewrite",
                        hint: "set kubernetes.routesAs: \"httproute\" (Gateway API rewrites), or kubernetes.ingressClass: \"nginx\" (ingress-nginx's rewrite-target)"))
                }
                return []
            }
            warnings.append("stripPrefix routes render as ingress-nginx regex paths, which match letters case-insensitively (/API reaches the /api route; the local router does not); routesAs: \"httproute\" keeps the router's rules exactly")
        }
        var objects: [KubernetesObject] = []
        let regexAnnotation = ("nginx.ingress.kubernetes.io/use-regex", "true")
        for workload in spec.workloads {
            guard let port = workload.routePort else { continue }
            let own = placements.filter { $0.rule.workload == workload.name }
            let plain = own.filter { !Self.strips($0.rule) }
            let stripped = own.filter { Self.strips($0.rule) }
            if !plain.isEmpty {
                objects.append(ingress(name: workload.name, workload: workload.name, placements: plain, port: port, regex: regex,
                                       annotations: regex ? [regexAnnotation] : []))
            }
            if !stripped.isEmpty {
                objects.append(ingress(name: "\(workload.name)-strip", workload: workload.name, placements: stripped, port: port,
                                       regex: true, annotations: [regexAnnotation, ("nginx.ingress.kubernetes.io/rewrite-target", "/$2")]))
            }
        }
        return objects
    }

    /// One Ingress: a rule per host (in order of first appearance), each path to `workload`'s
    /// route port by name.
    private func ingress(name: String, workload: String, placements: [Placement], port: PortSpec, regex: Bool,
                         annotations: [(String, String)]) -> KubernetesObject {
        var byHost: [(host: String?, rules: [RouteRule])] = []
        for placement in placements {
            if let index = byHost.firstIndex(where: { $0.host == placement.host }) {
                byHost[index].rules.append(placement.rule)
            } else {
                byHost.append((placement.host, [placement.rule]))
            }
        }
        let backend: RenderValue = ["service": ["name": .string(workload), "port": ["name": .string(KubernetesNames.portName(port))]]]
        let rules: [RenderValue] = byHost.map { group in
            var rule = RenderMap()
            if let host = group.host {
                rule.set("host", values.value(.string(host), at: ["ingress", "hosts", host]))
            } else {
                rule.set("host", values.optional(nil, at: ["ingress", "defaultHost"], empty: ""))
            }
            rule.set("http", ["paths": .list(group.rules.map { Self.ingressPath($0, regex: regex, backend: backend) })])
            return .map(rule)
        }
        var spec = RenderMap()
        spec.set("ingressClassName", values.optional(settings.ingressClass.map(RenderValue.string), at: ["ingress", "className"], empty: ""))
        spec.set("tls", values.optional(nil, at: ["ingress", "tls"], empty: .list([])))
        spec.set("rules", .list(rules))
        var object = KubernetesObject(apiVersion: "networking.k8s.io/v1", kind: "Ingress", name: name,
                                      file: "\(name)-ingress.yaml", body: RenderMap([.init(key: "spec", value: .map(spec))]),
                                      metadata: metadata.metadata(name: name, workload: workload, annotations: annotations), workload: workload)
        object.gate = enabledGate
        return object
    }

    /// Exact stays `Exact`; a prefix is `Prefix`, or in regex mode `P(/|$)(.*)` (`/` as `/(.*)`)
    /// whose second group is what a stripping Ingress forwards.
    static func ingressPath(_ rule: RouteRule, regex: Bool, backend: RenderValue) -> RenderValue {
        if rule.match == .exact { return ["path": .string(rule.path), "pathType": "Exact", "backend": backend] }
        guard regex else { return ["path": .string(rule.path), "pathType": "Prefix", "backend": backend] }
        let pattern = rule.path == "/" ? "/(.*)" : "\(regexEscaped(rule.path))(/|$)(.*)"
        return ["path": .string(pattern), "pathType": "ImplementationSpecific", "backend": backend]
    }

    /// `path` with the characters a regex reads as operators escaped (`/v1.0` → `/v1\.0`).
    static func regexEscaped(_ path: String) -> String {
        path.reduce(into: "") { escaped, character in
            if "\\.+*?()[]{}|^$".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
    }

    // MARK: HTTPRoute

    private func httpRoutes() -> [KubernetesObject] {
        let gateway = settings.gateway ?? "\(spec.name)-gateway"
        var objects: [KubernetesObject] = []
        for workload in spec.workloads {
            guard let port = workload.routePort, !workload.routes.isEmpty else { continue }
            let hosts = workload.routes.map(\.host).reduce(into: [String?]()) { if !$0.contains($1) { $0.append($1) } }
            for host in hosts {
                let name = host.map { "\(workload.name)-\(KubernetesNames.hostSlug($0))" } ?? workload.name
                var spec = RenderMap()
                spec.set("parentRefs", [["name": .string(gateway)]])
                if let host {
                    spec.set("hostnames", .list([values.value(.string(host), at: ["ingress", "hosts", host])]))
                }
                spec.set("rules", .list(workload.routes.filter { $0.host == host }.map { rule in
                    var entry = RenderMap()
                    entry.set("matches", [["path": ["type": rule.match == .exact ? "Exact" : "PathPrefix", "value": .string(rule.path)]]])
                    if Self.strips(rule) {
                        entry.set("filters", [["type": "URLRewrite",
                                               "urlRewrite": ["path": ["type": "ReplacePrefixMatch", "replacePrefixMatch": "/"]]]])
                    }
                    entry.set("backendRefs", [["name": .string(workload.name), "port": .integer(port.container)]])
                    return .map(entry)
                }))
                var object = KubernetesObject(apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", name: name,
                                              file: "\(name)-httproute.yaml",
                                              body: RenderMap([.init(key: "spec", value: .map(spec))]),
                                              metadata: metadata.metadata(name: name, workload: workload.name), workload: workload.name)
                object.gate = enabledGate
                objects.append(object)
            }
        }
        return objects
    }
}
