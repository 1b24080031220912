/// One route of a workload, as `routes` in wbuild.json gives it: a path, how it matches, an
/// optional host, and whether the matched prefix is stripped before the request is forwarded.
/// Values are normalised by `init` (a path without its trailing `/`, a lowercased host), so two
/// spellings of one route compare equal.
public struct RouteRule: Sendable, Hashable {
    /// How `path` selects requests.
    public enum Match: String, Sendable, Hashable {
        /// Kubernetes Ingress `Prefix`: element-wise, so `/api` takes `/api`, `/api/` and
        /// `/api/x`, never `/apix`; `/` takes everything.
        case prefix
        /// Kubernetes Ingress `Exact`: the request's path and nothing else (`/api/` is not `/api`).
        case exact
    }

    /// The workload requests go to.
    public var workload: String
    /// Starts with `/`; no trailing `/` except for `/` itself (for prefix rules).
    public var path: String
    public var match: Match
    /// Lowercased, without a trailing dot; `*.example.localhost` matches one more label in front.
    /// Nil: every host.
    public var host: String?
    /// Forward `/api/x` as `/x` (prefix rules only).
    public var stripPrefix: Bool

    public init(workload: String, path: String, match: Match = .prefix, host: String? = nil, stripPrefix: Bool = false) {
        self.workload = workload
        self.match = match
        self.path = match == .prefix ? RouteRule.trimmingTrailingSlash(path) : path
        self.host = host.map(RouteRule.normalizedHost).flatMap { $0.isEmpty ? nil : $0 }
        self.stripPrefix = stripPrefix
    }

    /// `/a/b/` → `/a/b`; `/` stays `/`.
    static func trimmingTrailingSlash(_ path: String) -> String {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// Lowercased, without a `:port` and a trailing dot: how a `Host` header is compared.
    static func normalizedHost(_ host: String) -> String {
        var host = host.lowercased()
        if host.hasPrefix("[") {
            // An IPv6 literal: `[::1]:8000` → `[::1]`.
            if let end = host.firstIndex(of: "]") { host = String(host[...end]) }
        } else if let colon = host.lastIndex(of: ":") {
            host = String(host[..<colon])
        }
        while host.hasSuffix(".") { host.removeLast() }
        return host
    }

    /// What is wrong with this rule's path, if anything: a router cannot serve it as written.
    public var pathProblem: String? {
        guard path.hasPrefix("/") else { return "a route's path starts with /, got \"\(path)\"" }
        if path.contains("?") || path.contains("#") { return "a route's path has no query or fragment, got \"\(path)\"" }
        if path.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) {
            return "a route's path has no spaces or control characters, got \"\(path)\""
        }
        if path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().contains(where: { $0 == "." || $0 == ".." }) {
            return "a route's path has no . or .. elements, got \"\(path)\""
        }
        if stripPrefix && match == .exact { return "stripPrefix needs match: \"prefix\"" }
        return nil
    }
}
