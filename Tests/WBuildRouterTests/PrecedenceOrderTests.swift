import Testing
import WBuildRouter

/// `byPrecedence` with first-match is `match`: on generated tables and requests, the first
/// rule of the ordered list that takes a request is the rule `match` picks.
@Suite struct PrecedenceOrderTests {
    /// A small deterministic generator (xorshift), so a failure names a reproducible seed.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
        mutating func pick<T>(_ values: [T]) -> T { values[next(values.count)] }
    }

    static let hosts: [String?] = [nil, nil, nil, "a.localhost", "b.localhost", "*.shop.localhost", "x.shop.localhost", "*.localhost"]
    static let paths = ["/", "/api", "/api/v2", "/api/v2/users", "/apix", "/web", "/web/static", "/a", "/a/b"]
    static let requestHosts: [String?] = [nil, "a.localhost", "A.LOCALHOST:8000", "b.localhost.", "x.shop.localhost", "y.shop.localhost",
                                          "shop.localhost", "q.r.shop.localhost", "localhost", "z.localhost"]
    static let requestPaths = ["/", "/api", "/api/", "/api/v2", "/api/v2/users/7?x=1", "/apix", "/apix/y", "/web/static/app.js",
                               "/a", "/a/b/c", "/ab", "/nothing", "/api/v22"]

    /// The first rule in `ordered` that takes the request, found by asking `match` of each rule alone.
    static func firstMatch(_ ordered: [RouteRule], host: String?, path: String) -> RouteRule? {
        ordered.first { RouteTable([$0]).match(host: host, path: path) != nil }
    }

    @Test(arguments: 0..<40)
    func firstMatchOverTheOrderIsMatch(seed: Int) {
        var generator = Generator(state: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1)
        var rules: [RouteRule] = []
        for _ in 0..<(1 + generator.next(12)) {
            let match: RouteRule.Match = generator.next(3) == 0 ? .exact : .prefix
            rules.append(RouteRule(workload: "w\(rules.count)", path: generator.pick(Self.paths), match: match,
                                   host: generator.pick(Self.hosts), stripPrefix: match == .prefix && generator.next(2) == 0))
        }
        let table = RouteTable(rules)
        let ordered = table.byPrecedence
        #expect(ordered.count == rules.count)
        for host in Self.requestHosts {
            for path in Self.requestPaths {
                let expected = table.match(host: host, path: path)?.rule
                let first = Self.firstMatch(ordered, host: host, path: path)
                #expect(first == expected, "seed \(seed): \(host ?? "-") \(path)")
            }
        }
    }

    @Test func theOrderIsHostThenLengthThenExactness() {
        let table = RouteTable([
            RouteRule(workload: "root", path: "/"),
            RouteRule(workload: "api", path: "/api"),
            RouteRule(workload: "apiExact", path: "/api", match: .exact),
            RouteRule(workload: "wild", path: "/", host: "*.x.localhost"),
            RouteRule(workload: "host", path: "/", host: "a.localhost"),
            RouteRule(workload: "deep", path: "/api/v2"),
        ])
        #expect(table.byPrecedence.map(\.workload) == ["host", "wild", "deep", "apiExact", "api", "root"])
    }
}
