import Testing
import WBuildRouter

/// The matcher against a corpus: which workload each request reaches, as DESIGN.md's route
/// semantics say (element-wise prefix, exact beats prefix, longest wins, host rules first).
@Suite struct RouteTableTests {
    let table = RouteTable([
        RouteRule(workload: "web", path: "/"),
        RouteRule(workload: "api", path: "/api"),
        RouteRule(workload: "apiv2", path: "/api/v2/", stripPrefix: true),
        RouteRule(workload: "health", path: "/api/health", match: .exact),
        RouteRule(workload: "admin", path: "/", host: "Admin.LOCALHOST"),
        RouteRule(workload: "tenant", path: "/", host: "*.shop.localhost"),
        RouteRule(workload: "tenantapi", path: "/api", host: "*.shop.localhost"),
        RouteRule(workload: "acme", path: "/", host: "acme.shop.localhost"),
    ])

    static let corpus: [(host: String?, path: String, workload: String?, forwarded: String)] = [
        (nil, "/", "web", "/"),
        (nil, "/index.html", "web", "/index.html"),
        ("127.0.0.1:8000", "/api", "api", "/api"),
        (nil, "/api/", "api", "/api/"),
        (nil, "/api/users?id=3", "api", "/api/users?id=3"),
        (nil, "/apix", "web", "/apix"),                       // element-wise: /api does not take /apix
        (nil, "/api/v2", "apiv2", "/"),                        // trailing / of a prefix rule is dropped
        (nil, "/api/v2/orders?x=1", "apiv2", "/orders?x=1"),   // stripPrefix keeps the query
        (nil, "/api/v22", "api", "/api/v22"),
        (nil, "/api/health", "health", "/api/health"),         // exact beats the prefix /api
        (nil, "/api/health/", "api", "/api/health/"),          // exact takes only itself
        ("admin.localhost", "/api", "admin", "/api"),          // a host rule beats a longer host-less one
        ("ADMIN.localhost.:8000", "/", "admin", "/"),
        ("a.shop.localhost", "/", "tenant", "/"),
        ("a.shop.localhost", "/api/x", "tenantapi", "/api/x"),
        ("acme.shop.localhost", "/api/x", "acme", "/api/x"),   // an exact host beats a wildcard one
        ("shop.localhost", "/", "web", "/"),                   // a wildcard needs one more label
        ("a.b.shop.localhost", "/", "web", "/"),               // ... exactly one
    ]

    @Test(arguments: 0..<corpus.count)
    func eachRequestReachesItsWorkload(index: Int) {
        let request = Self.corpus[index]
        let match = table.match(host: request.host, path: request.path)
        #expect(match?.rule.workload == request.workload, "\(request)")
        #expect(match?.forwardedTarget == request.forwarded, "\(request)")
    }

    @Test func noRuleForAPathIsNoMatch() {
        let table = RouteTable([RouteRule(workload: "api", path: "/api")])
        #expect(table.match(host: nil, path: "/") == nil)
        #expect(table.match(host: nil, path: "/ap") == nil)
    }

    @Test func theSameHostAndPathTwiceIsAConflict() {
        let table = RouteTable([
            RouteRule(workload: "a", path: "/api/"), RouteRule(workload: "b", path: "/api"),
            RouteRule(workload: "c", path: "/api", match: .exact), RouteRule(workload: "d", path: "/api", host: "x.localhost"),
        ])
        #expect(table.conflicts.map { [$0.0.workload, $0.1.workload] } == [["a", "b"]])
    }

    @Test func malformedPathsAreSaid() {
        #expect(RouteRule(workload: "a", path: "api").pathProblem != nil)
        #expect(RouteRule(workload: "a", path: "/a?b").pathProblem != nil)
        #expect(RouteRule(workload: "a", path: "/a b").pathProblem != nil)
        #expect(RouteRule(workload: "a", path: "/a/../b").pathProblem != nil)
        #expect(RouteRule(workload: "a", path: "/a", match: .exact, stripPrefix: true).pathProblem != nil)
        #expect(RouteRule(workload: "a", path: "/a/b/").pathProblem == nil)
    }

    @Test func explainSaysWhichRuleTookTheRequestAndWhyTheOthersDidNot() {
        let lines = table.explain(host: nil, path: "/api/users").map(\.description)
        #expect(lines.first == "✓ /api (prefix) → api")
        #expect(lines.contains("· / (prefix) → web: matches, but /api (prefix) → api ranks first"))
        #expect(lines.contains("✗ /api/health (exact) → health: /api/users is not exactly /api/health"))
        #expect(lines.contains("✗ /api/v2 (prefix, prefix stripped) → apiv2: /api/users is not /api/v2 or below it"))
        #expect(lines.contains("✗ admin.localhost/ (prefix) → admin: host admin.localhost does not match a request without a host"))
    }

    @Test func theListingOrderIsTheOrderRulesAreTried() {
        #expect(table.byPrecedence.map(\.workload) == ["acme", "admin", "tenantapi", "tenant", "health", "apiv2", "api", "web"])
        // The first rule of that order a request matches is the one `match` picks, for the whole corpus.
        for request in Self.corpus {
            let first = table.byPrecedence.first { RouteTable([$0]).match(host: request.host, path: request.path) != nil }
            #expect(first?.workload == request.workload, "\(request)")
        }
    }

    @Test func conflictsAreFoundByPositionToo() {
        let rule = RouteRule(workload: "a", path: "/api")
        let table = RouteTable([rule, RouteRule(workload: "b", path: "/b"), rule, RouteRule(workload: "c", path: "/api/")])
        #expect(table.conflictingIndices.map { [$0.first, $0.second] } == [[0, 2], [0, 3]])
        #expect(RouteTable.describe(RouteRule(workload: "api", path: "/v2", host: "api.localhost", stripPrefix: true), port: 8080)
                == "api.localhost/v2 (prefix, prefix stripped) → api:8080")
        #expect(RouteTable.describe(rule, port: nil) == "/api (prefix) → a")
    }
}
