import WBuild

/// What `wbuild routes` prints, built from the spec alone (so it is tested without a binary):
/// lines for a terminal, one JSON object, and the exit code.
struct RoutesReport {
    struct Output {
        var lines: [String]
        var json: JSONText
        var exitCode: Int32
    }

    let table: RouteTable
    /// Each workload's route port (its container port), by workload name.
    let ports: [String: Int]
    /// Where the local router listens, when the caller knows (it runs); nil: not shown.
    let routerURL: String?

    init(spec: ProjectSpec, routerURL: String?) {
        table = spec.routeTable
        var ports: [String: Int] = [:]
        for workload in spec.workloads {
            if let port = workload.routePort { ports[workload.name] = port.container }
        }
        self.ports = ports
        self.routerURL = routerURL
    }

    static let noRoutesHint = #"hint: add "routes": ["/api"] to a workload with an http port"#

    /// Every rule, in the order they are tried: `api.localhost/v2 (prefix, prefix stripped) → api:8080`.
    var listing: Output {
        let rules = table.byPrecedence
        var lines: [String] = routerURL.map { ["router \($0)"] } ?? []
        if rules.isEmpty {
            lines += ["no routes", Self.noRoutesHint]
        } else {
            lines += rules.map { RouteTable.describe($0, port: ports[$0.workload]) }
        }
        var json: [(String, JSONText)] = [("routes", .array(rules.map(ruleJSON)))]
        if let routerURL { json.append(("router", .string(routerURL))) }
        return Output(lines: lines, json: .object(json), exitCode: 0)
    }

    /// Which rule takes `query` and why each other did not; exit 1 when none does (a 404).
    func explain(_ query: RouteQuery) -> Output {
        let request = "\(query.method) \(query.host ?? "")\(query.path)"
        let winner = table.match(host: query.host, path: query.path)
        let explanations = table.explain(host: query.host, path: query.path)
        var lines: [String]
        if let winner {
            let forwarded = winner.forwardedTarget == query.path ? "" : " as \(winner.forwardedTarget)"
            lines = ["\(request) → \(backend(winner.rule))\(forwarded)"]
        } else if table.rules.isEmpty {
            lines = ["\(request): no routes, so the router answers 404", Self.noRoutesHint]
        } else {
            lines = ["\(request): no route matches, so the router answers 404"]
        }
        lines += explanations.map { "  " + line(for: $0) }
        let json = JSONText.object([
            ("matched", winner.map { ruleJSON($0.rule) } ?? .null),
            ("forwardedTarget", winner.map { .string($0.forwardedTarget) } ?? .null),
            ("rules", .array(explanations.map { explanation in
                let (verdict, why): (String, String?) = switch explanation.verdict {
                case .taken: ("taken", nil)
                case .notMatched(let reason): ("notMatched", reason)
                case .outranked(let by): ("outranked", "matches, but \(by) ranks first")
                }
                return .object([("rule", ruleJSON(explanation.rule)), ("verdict", .string(verdict)),
                                ("why", why.map(JSONText.string) ?? .null)])
            })),
            ("request", .object([("method", .string(query.method)), ("path", .string(query.path)),
                                 ("host", query.host.map(JSONText.string) ?? .null)])),
        ])
        return Output(lines: lines, json: json, exitCode: winner == nil ? 1 : 0)
    }

    /// `✓ /api (prefix) → api:8080`, `✗ /web (prefix) → web:80: /api/users is not /web or below it`.
    private func line(for explanation: RouteExplanation) -> String {
        let rule = RouteTable.describe(explanation.rule, port: ports[explanation.rule.workload])
        switch explanation.verdict {
        case .taken: return "✓ \(rule)"
        case .notMatched(let why): return "✗ \(rule): \(why)"
        case .outranked(let winner): return "· \(rule): matches, but \(winner) ranks first"
        }
    }

    private func backend(_ rule: RouteRule) -> String {
        "\(rule.workload)\(ports[rule.workload].map { ":\($0)" } ?? "")"
    }

    private func ruleJSON(_ rule: RouteRule) -> JSONText {
        .object([
            ("workload", .string(rule.workload)),
            ("path", .string(rule.path)),
            ("match", .string(rule.match.rawValue)),
            ("host", rule.host.map(JSONText.string) ?? .null),
            ("stripPrefix", .bool(rule.stripPrefix)),
            ("port", ports[rule.workload].map(JSONText.int) ?? .null),
        ])
    }
}
