/// The routes of a project and the one matcher every rendering of them follows (the local
/// router, Kubernetes Ingress or HTTPRoute, Swarm's router service): for a request's host and
/// path, which rule takes it.
///
/// Precedence, as Kubernetes Ingress orders it, with host rules first:
/// 1. a rule whose host equals the request's beats a wildcard host (`*.x.localhost`), which beats
///    a rule without a host;
/// 2. then the longest path wins;
/// 3. then `exact` beats `prefix` (for the same path).
/// Two rules with the same host, path and match are a conflict (`conflicts`), never a tie.
public struct RouteTable: Sendable, Hashable {
    public let rules: [RouteRule]

    public init(_ rules: [RouteRule]) {
        self.rules = rules
    }

    /// The rule that takes a request for `path` (the request target: a query or fragment is
    /// ignored) on `host` (the `Host` header, with or without a port), nil when none does.
    public func match(host: String?, path: String) -> RouteMatch? {
        let requestHost = host.map(RouteRule.normalizedHost)
        let requestPath = Self.pathOnly(path)
        var best: (rule: RouteRule, rank: Rank)?
        for rule in rules {
            guard let hostRank = Self.hostRank(rule, requestHost), Self.pathMatches(rule, requestPath) else { continue }
            let rank = Rank(host: hostRank, length: rule.path.utf8.count, exact: rule.match == .exact)
            if best.map({ rank > $0.rank }) ?? true { best = (rule, rank) }
        }
        return best.map { RouteMatch(rule: $0.rule, forwardedTarget: Self.forwarded(path, by: $0.rule)) }
    }

    /// Every rule with whether it matched and why not, the winner first: for `wbuild routes
    /// --explain GET /api/users`.
    public func explain(host: String?, path: String) -> [RouteExplanation] {
        let requestHost = host.map(RouteRule.normalizedHost)
        let requestPath = Self.pathOnly(path)
        let winner = match(host: host, path: path)?.rule
        return rules.map { rule -> RouteExplanation in
            if rule == winner { return RouteExplanation(rule: rule, verdict: .taken) }
            guard Self.hostRank(rule, requestHost) != nil else {
                return RouteExplanation(rule: rule, verdict: .notMatched(
                    "host \(rule.host ?? "(any)") does not match \(requestHost.map { "\"\($0)\"" } ?? "a request without a host")"))
            }
            guard Self.pathMatches(rule, requestPath) else {
                let how = rule.match == .exact ? "is not exactly \(rule.path)" : "is not \(rule.path) or below it"
                return RouteExplanation(rule: rule, verdict: .notMatched("\(requestPath) \(how)"))
            }
            return RouteExplanation(rule: rule, verdict: .outranked(by: winner.map(Self.describe) ?? "another rule"))
        }.sorted { lhs, rhs in lhs.verdict == .taken && rhs.verdict != .taken }
    }

    /// Pairs of rules that claim the same requests (same host, path and match): a spec error
    /// naming both.
    public var conflicts: [(RouteRule, RouteRule)] {
        conflictingIndices.map { (rules[$0.first], rules[$0.second]) }
    }

    /// `conflicts` as positions in `rules` (the first claim, the later one), for callers that
    /// must say where each was written (two equal rules are otherwise indistinguishable).
    public var conflictingIndices: [(first: Int, second: Int)] {
        var seen: [Key: Int] = [:]
        var found: [(first: Int, second: Int)] = []
        for (index, rule) in rules.enumerated() {
            let key = Key(host: rule.host, path: rule.path, match: rule.match)
            if let earlier = seen[key] { found.append((earlier, index)) } else { seen[key] = index }
        }
        return found
    }

    /// The rules in the order they are tried: exact hosts, then wildcard hosts, then rules for
    /// any host (by host name within each), then the longest path, then exact before prefix;
    /// declaration order breaks the remaining ties. The first rule a request matches in this
    /// order is the one `match` picks (a rule's host kind is fixed: an exact host only ever
    /// matches equal, a wildcard only as a wildcard), so a router that knows nothing of
    /// precedence (wbuild-router takes the first match) routes as `match` does; `wbuild routes`
    /// lists rules in this order.
    public var byPrecedence: [RouteRule] {
        func hostKind(_ rule: RouteRule) -> Int {
            guard let host = rule.host else { return 0 }
            return host.hasPrefix("*.") ? 1 : 2
        }
        return rules.enumerated().sorted { lhs, rhs in
            let (l, r) = (lhs.element, rhs.element)
            if hostKind(l) != hostKind(r) { return hostKind(l) > hostKind(r) }
            if l.host != r.host { return (l.host ?? "") < (r.host ?? "") }
            if l.path.utf8.count != r.path.utf8.count { return l.path.utf8.count > r.path.utf8.count }
            if l.match != r.match { return l.match == .exact }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// `api.localhost/v2 (prefix) → api`.
    public static func describe(_ rule: RouteRule) -> String {
        "\(describeRequests(rule)) → \(rule.workload)"
    }

    /// `api.localhost/v2 (prefix, prefix stripped) → api:8080`: with the workload's port, when known.
    public static func describe(_ rule: RouteRule, port: Int?) -> String {
        "\(describeRequests(rule)) → \(rule.workload)\(port.map { ":\($0)" } ?? "")"
    }

    /// `api.localhost/v2 (prefix, prefix stripped)`: which requests the rule claims.
    public static func describeRequests(_ rule: RouteRule) -> String {
        "\(rule.host ?? "")\(rule.path) (\(rule.match.rawValue)\(rule.stripPrefix ? ", prefix stripped" : ""))"
    }

    private struct Key: Hashable {
        var host: String?
        var path: String
        var match: RouteRule.Match
    }

    /// How well a matching rule fits: compared host first, then path length, then exactness.
    private struct Rank: Comparable {
        var host: Int
        var length: Int
        var exact: Bool

        static func < (lhs: Rank, rhs: Rank) -> Bool {
            (lhs.host, lhs.length, lhs.exact ? 1 : 0) < (rhs.host, rhs.length, rhs.exact ? 1 : 0)
        }
    }

    /// 2 for an equal host, 1 for a wildcard that covers it, 0 for a rule without a host; nil
    /// when the rule's host does not take this request.
    private static func hostRank(_ rule: RouteRule, _ requestHost: String?) -> Int? {
        guard let ruleHost = rule.host else { return 0 }
        guard let requestHost else { return nil }
        if ruleHost == requestHost { return 2 }
        if ruleHost.hasPrefix("*.") {
            // One label in front, as Ingress wildcards: `*.x.localhost` takes `a.x.localhost`,
            // not `x.localhost` or `a.b.x.localhost`.
            let suffix = ruleHost.dropFirst(1)
            guard requestHost.hasSuffix(suffix) else { return nil }
            let label = requestHost.dropLast(suffix.count)
            return !label.isEmpty && !label.contains(".") ? 1 : nil
        }
        return nil
    }

    private static func pathMatches(_ rule: RouteRule, _ path: String) -> Bool {
        switch rule.match {
        case .exact:
            return path == rule.path
        case .prefix:
            if rule.path == "/" { return true }
            guard path.hasPrefix(rule.path) else { return false }
            let rest = path.utf8.dropFirst(rule.path.utf8.count)
            return rest.isEmpty || rest.first == UInt8(ascii: "/")
        }
    }

    private static func pathOnly(_ target: String) -> String {
        let end = target.firstIndex { $0 == "?" || $0 == "#" } ?? target.endIndex
        let path = String(target[..<end])
        return path.isEmpty ? "/" : path
    }

    /// The request target sent on: `stripPrefix` removes the rule's path (`/api/x?q` → `/x?q`,
    /// `/api` → `/`); otherwise unchanged.
    private static func forwarded(_ target: String, by rule: RouteRule) -> String {
        guard rule.stripPrefix, rule.match == .prefix, rule.path != "/" else { return target }
        let rest = String(target.dropFirst(rule.path.count))
        if rest.isEmpty { return "/" }
        return rest.hasPrefix("/") ? rest : "/" + rest
    }
}

/// The rule a request matched and the target to send on (after `stripPrefix`).
public struct RouteMatch: Sendable, Hashable {
    public var rule: RouteRule
    public var forwardedTarget: String
}

/// Why a rule did or did not take a request.
public struct RouteExplanation: Sendable, Hashable {
    public enum Verdict: Sendable, Hashable {
        case taken
        case notMatched(String)
        /// It matched, but a better rule took the request.
        case outranked(by: String)
    }

    public var rule: RouteRule
    public var verdict: Verdict

    /// `✓ /api (prefix) → api`, `✗ /web (prefix) → web: /api/users is not /web or below it`.
    public var description: String {
        switch verdict {
        case .taken: "✓ \(RouteTable.describe(rule))"
        case .notMatched(let why): "✗ \(RouteTable.describe(rule)): \(why)"
        case .outranked(let winner): "· \(RouteTable.describe(rule)): matches, but \(winner) ranks first"
        }
    }
}
