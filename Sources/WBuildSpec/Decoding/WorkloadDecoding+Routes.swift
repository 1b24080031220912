/// `routes`: each a path (a prefix match) or `{ path, match, host, stripPrefix }`, decoded into
/// the router's `RouteRule`s; clashes across workloads are checked once all are read.
extension SpecDecoder {
    static let routeKeys = ["path", "match", "host", "stripPrefix"]

    func decodeRoutes(_ node: SpecNode, owner: String, ports: [PortSpec]) -> [RouteRule] {
        guard let elements = array(node) else { return [] }
        var rules: [RouteRule] = []
        for element in elements {
            locate(element)  // a rendering that cannot express the route points here
            guard let rule = decodeRoute(element, owner: owner) else { continue }
            rules.append(rule)
            routeMentions.append(RouteMention(rule: rule, node: element))
        }
        guard !elements.isEmpty else { return rules }
        if ports.isEmpty {
            report("routes need a port to send requests to, and this workload declares none", at: node,
                   hint: "add one, e.g. `ports: [{ container: 8080, protocol: \"http\" }]`")
        } else if WorkloadSpec.routePort(in: ports) == nil {
            report("routes go to the workload's first http, http2 or grpc port, and this workload's ports are all tcp",
                   at: node, hint: "add `protocol: \"http\"` to the port that serves HTTP, e.g. `{ container: \(ports[0].container), protocol: \"http\" }`")
        }
        return rules
    }

    private func decodeRoute(_ node: SpecNode, owner: String) -> RouteRule? {
        switch node.value.kind {
        case .string:
            guard let path = string(node) else { return nil }
            return checkedPath(RouteRule(workload: owner, path: path), at: node)
        case .object:
            return decodeRouteObject(node, owner: owner)
        default:
            report("expected a path like \"/api\" or an object `{ path, match, host, stripPrefix }`, got \(Self.describe(node.value))",
                   at: node)
            return nil
        }
    }

    private func decodeRouteObject(_ node: SpecNode, owner: String) -> RouteRule? {
        guard let object = object(node, allowedKeys: Self.routeKeys) else { return nil }
        let pathNode = required(object, "path", hint: "the path the route claims, e.g. \"/api\"")
        let path = pathNode.flatMap { string($0) }
        var match = RouteRule.Match.prefix
        var ok = true
        if let matchNode = object.member("match") {
            if let value = choice(matchNode, [("prefix", RouteRule.Match.prefix), ("exact", .exact)]) {
                match = value
            } else {
                ok = false
            }
        }
        var host: String?
        if let hostNode = object.member("host") {
            let text = string(hostNode)
            if let text, let problem = Self.routeHostProblem(text) {
                report("expected a host name like \"api.localhost\" or \"*.shop.localhost\", got \"\(Self.shortened(text))\": \(problem)",
                       at: hostNode, hint: "a route's host is the name alone: no scheme, port or path")
            }
            host = text.flatMap { Self.routeHostProblem($0) == nil ? $0 : nil }
            if host == nil { ok = false }
        }
        var stripPrefix = false
        if let stripNode = object.member("stripPrefix") {
            if let flag = bool(stripNode) {
                stripPrefix = flag
                if flag && match == .exact {
                    report("stripPrefix needs match: \"prefix\"", at: stripNode,
                           hint: "an exact route forwards its path unchanged; remove stripPrefix or use match: \"prefix\"")
                    ok = false
                }
            } else {
                ok = false
            }
        }
        guard let path, let pathNode, ok else { return nil }
        guard checkedPath(RouteRule(workload: owner, path: path, match: match, host: host), at: pathNode) != nil else { return nil }
        return RouteRule(workload: owner, path: path, match: match, host: host, stripPrefix: stripPrefix)
    }

    /// `rule` when its path is one a router can serve; otherwise reports why at `node`.
    private func checkedPath(_ rule: RouteRule, at node: SpecNode) -> RouteRule? {
        guard let problem = rule.pathProblem else { return rule }
        let hint = rule.path.hasPrefix("/") ? nil : "write \"/\(Self.shortened(rule.path))\""
        report(problem, at: node, hint: hint)
        return nil
    }

    /// Why `host` is not a route host: DNS labels (letters, digits, `-`) separated by dots,
    /// optionally `*.` in front for any one label; nil when it is one.
    static func routeHostProblem(_ host: String) -> String? {
        if host.contains("://") { return "it has a scheme" }
        if host.contains("/") { return "it has a path" }
        if host.hasPrefix("[") { return "an IPv6 address is not a host name" }
        if host.contains(":") { return "it has a port" }
        var name = Substring(host)
        if name.hasSuffix(".") { name.removeLast() }
        if name.hasPrefix("*.") { name.removeFirst(2) }
        if name.contains("*") { return "a wildcard is only `*.` in front, for one label" }
        guard name.utf8.count <= 253 else { return "it is longer than 253 characters" }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty else { return "it has an empty label" }
            guard label.utf8.count <= 63 else { return "a label is longer than 63 characters" }
            guard label.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }),
                  !label.hasPrefix("-"), !label.hasSuffix("-") else {
                return "labels use letters, digits and `-` (not at either end)"
            }
        }
        return nil
    }
}
