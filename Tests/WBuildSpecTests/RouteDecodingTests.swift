import Testing
@testable import WBuildSpec

/// `routes` (strings and `{ path, match, host, stripPrefix }` objects), the checks made across
/// workloads, and the project's `router` settings.
@Suite("Routes and router: decoding and validation")
struct RouteDecodingTests {
    /// A project whose workload `api` serves HTTP on 8080 and has `routes`.
    static func api(routes: String, ports: String = "[{ container: 8080, protocol: 'http' }]") -> String {
        project(workloads: "{ api: { image: 'x', ports: \(ports), routes: \(routes) } }")
    }

    @Test("a string is a prefix route; an object gives match, host and stripPrefix")
    func stringAndObjectForms() throws {
        let spec = try loadSpec(Self.api(routes: """
            ['/api/', { path: '/v2', match: 'prefix', host: 'API.localhost', stripPrefix: true },
             { path: '/healthz', match: 'exact' }, { path: '/x' }]
            """))
        let routes = try #require(spec.workload(named: "api")).routes
        #expect(routes == [
            RouteRule(workload: "api", path: "/api"),
            RouteRule(workload: "api", path: "/v2", match: .prefix, host: "api.localhost", stripPrefix: true),
            RouteRule(workload: "api", path: "/healthz", match: .exact),
            RouteRule(workload: "api", path: "/x"),
        ])
        #expect(spec.hasRoutes)
        #expect(spec.routeTable.rules == routes)
        #expect(spec.routeTable.match(host: "api.localhost:8000", path: "/v2/users")?.forwardedTarget == "/users")
    }

    @Test("the route port is the first http, http2 or grpc port")
    func routePort() throws {
        let spec = try loadSpec(Self.api(
            routes: "['/']",
            ports: "[{ container: 9000 }, { container: 50051, protocol: 'grpc' }, { container: 8080, protocol: 'http' }]"))
        #expect(spec.workload(named: "api")?.routePort?.container == 50051)
        #expect(WorkloadSpec(name: "w", source: .image("x"), ports: [PortSpec(container: 1)]).routePort == nil)
    }

    @Test("the route table keeps every workload's rules in declaration order")
    func tableOrder() throws {
        let spec = try loadSpec(project(workloads: """
            { web: { image: 'x', ports: [{ container: 80, protocol: 'http' }], routes: ['/'] },
              db: { image: 'x', ports: [{ container: 5432 }] },
              api: { image: 'x', ports: [{ container: 8080, protocol: 'http2' }], routes: ['/api', { path: '/api', match: 'exact' }] } }
            """))
        #expect(spec.routeTable.rules.map { "\($0.workload) \($0.path) \($0.match)" } == ["web / prefix", "api /api prefix", "api /api exact"])
        #expect(spec.routeTable.match(host: nil, path: "/api/x")?.rule.workload == "api")
        #expect(spec.routeTable.match(host: nil, path: "/apix")?.rule.workload == "web")
    }

    @Test("a project without routes has an empty table")
    func noRoutes() throws {
        let spec = try loadSpec(project(workloads: "{ a: { image: 'x' } }"))
        #expect(!spec.hasRoutes)
        #expect(spec.routeTable.rules.isEmpty)
    }

    /// One bad route: the key path it is reported at and a phrase of the message.
    static let badRoutes: [(routes: String, keyPath: String, message: String)] = [
        ("['api']", "workloads.api.routes[0]", #"a route's path starts with /, got "api""#),
        ("['/a?b']", "workloads.api.routes[0]", "no query or fragment"),
        ("['/a#b']", "workloads.api.routes[0]", "no query or fragment"),
        ("['/a b']", "workloads.api.routes[0]", "no spaces or control characters"),
        ("['/a/../b']", "workloads.api.routes[0]", "no . or .. elements"),
        ("['/ok', { path: './x' }]", "workloads.api.routes[1].path", "starts with /"),
        ("['/ok', { path: '/a/./b' }]", "workloads.api.routes[1].path", "no . or .. elements"),
        ("['']", "workloads.api.routes[0]", "expected a non-empty string"),
        ("[5]", "workloads.api.routes[0]", "expected a path like \"/api\" or an object"),
        ("[{ match: 'exact' }]", "workloads.api.routes[0].path", "required key `path` is missing"),
        ("[{ path: '/a', mach: 'exact' }]", "workloads.api.routes[0].mach", "unknown key `mach`"),
        ("[{ path: '/a', match: 'regex' }]", "workloads.api.routes[0].match", #"expected one of "prefix", "exact", got "regex""#),
        ("[{ path: '/a', match: 'exact', stripPrefix: true }]", "workloads.api.routes[0].stripPrefix", #"stripPrefix needs match: "prefix""#),
        ("[{ path: '/a', stripPrefix: 'yes' }]", "workloads.api.routes[0].stripPrefix", "expected true or false"),
        ("[{ path: '/a', host: 'http://api.localhost' }]", "workloads.api.routes[0].host", "it has a scheme"),
        ("[{ path: '/a', host: 'api.localhost:8000' }]", "workloads.api.routes[0].host", "it has a port"),
        ("[{ path: '/a', host: 'api.localhost/x' }]", "workloads.api.routes[0].host", "it has a path"),
        ("[{ path: '/a', host: 'a.*.localhost' }]", "workloads.api.routes[0].host", "only `*.` in front"),
        ("[{ path: '/a', host: '*' }]", "workloads.api.routes[0].host", "only `*.` in front"),
        ("[{ path: '/a', host: 'a..localhost' }]", "workloads.api.routes[0].host", "an empty label"),
        ("[{ path: '/a', host: 'a_b.localhost' }]", "workloads.api.routes[0].host", "letters, digits and `-`"),
        ("[{ path: '/a', host: '-a.localhost' }]", "workloads.api.routes[0].host", "letters, digits and `-`"),
        ("[{ path: '/a', host: '' }]", "workloads.api.routes[0].host", "expected a non-empty string"),
        ("['/a', { path: '/a', host: 5 }]", "workloads.api.routes[1].host", "expected a string, got 5"),
        ("[{ path: '/a', host: '[::1]' }]", "workloads.api.routes[0].host", "an IPv6 address is not a host name"),
    ]

    @Test(arguments: badRoutes)
    func eachRouteErrorAtItsKeyPath(_ routes: String, _ keyPath: String, _ message: String) {
        let found = diagnostics(Self.api(routes: routes))
        #expect(found.map(\.keyPath) == [keyPath], "\(found)")
        #expect(found.first?.message.contains(message) == true, "\(found)")
        #expect(found.first.map { $0.file == "wbuild.json" && $0.line == 1 && $0.column > 1 } == true)
    }

    @Test("an unknown route key is suggested the closest allowed one")
    func unknownKeySuggestion() {
        let found = diagnostics(Self.api(routes: "[{ path: '/a', stripPrefx: true }]"))
        #expect(found.first?.hint?.contains("stripPrefix") == true, "\(found)")
    }

    @Test("wildcard and plain hosts are accepted and lowercased")
    func goodHosts() throws {
        let spec = try loadSpec(Self.api(routes: "[{ path: '/', host: '*.Shop.localhost' }, { path: '/', host: 'localhost' }, { path: '/', host: 'a-1.b.example.' }]"))
        #expect(spec.workload(named: "api")?.routes.map(\.host) == ["*.shop.localhost", "localhost", "a-1.b.example"])
    }

    @Test("the same host, path and match on two workloads names both, at the second, with the first's position")
    func conflictAcrossWorkloads() {
        let found = diagnostics("""
            {
              name: 'p',
              workloads: {
                web: { image: 'x', ports: [{ container: 80, protocol: 'http' }], routes: ['/api'] },
                api: { image: 'x', ports: [{ container: 8080, protocol: 'http' }],
                       routes: ['/v1', '/v2', { path: '/api/', match: 'prefix' }] },
              },
            }
            """)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.keyPath == "workloads.api.routes[2]")
        #expect(found.first?.line == 6)
        #expect(found.first?.message == "workloads.web.routes[0] (line 4:79) and workloads.api.routes[2] both claim /api (prefix)")
    }

    @Test("a conflict needs the same host and match: other hosts and exact beside prefix are fine")
    func notConflicts() {
        let found = diagnostics(project(workloads: """
            { web: { image: 'x', ports: [{ container: 80, protocol: 'http' }], routes: ['/api', { path: '/api', host: 'web.localhost' }] },
              api: { image: 'x', ports: [{ container: 80, protocol: 'http' }], routes: [{ path: '/api', match: 'exact' }, { path: '/api', host: 'api.localhost' }] } }
            """))
        #expect(found.isEmpty, "\(found)")
    }

    @Test("the same route twice on one workload, and host conflicts, are reported too")
    func conflictOnOneWorkload() {
        let found = diagnostics(Self.api(routes: "['/a', '/a/', { path: '/b', host: 'x.localhost' }, { path: '/b', host: 'X.localhost' }]"))
        #expect(found.map(\.keyPath) == ["workloads.api.routes[1]", "workloads.api.routes[3]"], "\(found)")
        #expect(found.last?.message.hasSuffix("both claim x.localhost/b (prefix)") == true, "\(found)")
        #expect(found.first?.message.hasPrefix("workloads.api.routes[0] (line 1:") == true, "\(found)")
    }

    @Test("routes need an http port: none at all, or only tcp ones")
    func routeWithoutHTTPPort() {
        let none = diagnostics(project(workloads: "{ a: { image: 'x', routes: ['/'] } }"))
        #expect(none.map(\.keyPath) == ["workloads.a.routes"])
        #expect(none.first?.message.contains("declares none") == true)
        let tcp = diagnostics(Self.api(routes: "['/']", ports: "[{ container: 6379 }, { container: 6380, protocol: 'tcp' }]"))
        #expect(tcp.map(\.keyPath) == ["workloads.api.routes"])
        #expect(tcp.first?.message.contains("first http, http2 or grpc port") == true, "\(tcp)")
        #expect(tcp.first?.hint?.contains(#"{ container: 6379, protocol: "http" }"#) == true, "\(tcp)")
    }

    @Test("router: defaults when absent; every key read")
    func routerSettings() throws {
        #expect(try loadSpec("{ name: 'p' }").router == RouterSettings(port: nil, host: "127.0.0.1", holdMs: 5000))
        #expect(try loadSpec("{ name: 'p', router: {} }").router == RouterSettings())
        let spec = try loadSpec("{ name: 'p', router: { port: 8000, host: '0.0.0.0', holdMs: 0 } }")
        #expect(spec.router == RouterSettings(port: 8000, host: "0.0.0.0", holdMs: 0))
        #expect(try loadSpec("{ name: 'p', router: { port: 65535, holdMs: 600000 } }").router.holdMs == 600_000)
    }

    static let badRouters: [(router: String, keyPath: String, message: String)] = [
        ("{ port: 0 }", "router.port", "expected an integer 1–65535, got 0"),
        ("{ port: 65536 }", "router.port", "expected an integer 1–65535"),
        ("{ holdMs: -1 }", "router.holdMs", "expected an integer 0–600000"),
        ("{ holdMs: 600001 }", "router.holdMs", "expected an integer 0–600000"),
        ("{ host: 'localhost' }", "router.host", #"expected an IPv4 address to listen on, got "localhost""#),
        ("{ host: '::1' }", "router.host", "expected an IPv4 address"),
        ("{ host: '127.0.0.256' }", "router.host", "expected an IPv4 address"),
        ("{ host: '127.0.0.01' }", "router.host", "expected an IPv4 address"),
        ("{ prot: 8000 }", "router.prot", "unknown key `prot`"),
        ("8000", "router", "expected an object"),
    ]

    @Test(arguments: badRouters)
    func eachRouterErrorAtItsKeyPath(_ router: String, _ keyPath: String, _ message: String) {
        let found = diagnostics("{ name: 'p', router: \(router) }")
        #expect(found.map(\.keyPath) == [keyPath], "\(found)")
        #expect(found.first?.message.contains(message) == true, "\(found)")
    }

    @Test("an unknown router key is suggested the closest allowed one, and `router` is a known project key")
    func routerSuggestions() {
        #expect(diagnostics("{ name: 'p', router: { prot: 8000 } }").first?.hint?.contains("port") == true)
        #expect(diagnostics("{ name: 'p', routr: {} }").first?.hint?.contains("router") == true)
    }
}
