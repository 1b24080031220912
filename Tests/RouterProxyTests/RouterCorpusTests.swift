import Foundation
import Testing
import WBuildRouter

/// The router's first-match over `RouteTable.byPrecedence` against `RouteTable.match`: a table
/// loaded into the running router, a corpus of requests, and for each the backend that answered
/// (and the target it was sent) compared with what the Swift matcher says.
@Suite("Router corpus")
struct RouterCorpusTests {
    static let table = RouteTable([
        RouteRule(workload: "web", path: "/"),
        RouteRule(workload: "api", path: "/api"),
        RouteRule(workload: "apiv2", path: "/api/v2/", stripPrefix: true),
        RouteRule(workload: "health", path: "/api/health", match: .exact),
        RouteRule(workload: "admin", path: "/", host: "Admin.LOCALHOST"),
        RouteRule(workload: "tenant", path: "/", host: "*.shop.localhost"),
        RouteRule(workload: "tenantapi", path: "/api", host: "*.shop.localhost", stripPrefix: true),
        RouteRule(workload: "acme", path: "/", host: "acme.shop.localhost"),
    ])

    static let hosts: [String?] = [nil, "127.0.0.1:8000", "localhost", "admin.localhost", "ADMIN.localhost.:8000", "a.shop.localhost",
                                   "acme.shop.localhost", "shop.localhost", "a.b.shop.localhost", "[::1]:8000"]
    static let targets = ["/", "/index.html", "/api", "/api/", "/api/users?id=3", "/apix", "/api/v2", "/api/v2/orders?x=1",
                          "/api/v22", "/api/health", "/api/health/", "/api/x", "/?q=1", "/api?q=2"]

    @Test("the router picks the backend RouteTable.match picks, and sends the target it says")
    func routerAgreesWithMatch() async throws {
        let workloads = Array(Set(Self.table.rules.map(\.workload))).sorted()
        let servers = try workloads.map { try TestHTTPServer(name: $0) }
        defer { servers.forEach { $0.stop() } }
        try await RouterProcess.with { router in
            let rules = Self.table.byPrecedence.map { rule in
                "\(rule.workload) \(rule.match.rawValue) \(rule.host ?? "-") \(rule.stripPrefix ? 1 : 0) \(rule.path)"
            }
            try router.load(rules)
            for server in servers { try router.set(server.name, [server]) }
            let client = try router.connect()
            var checked = 0
            for host in Self.hosts {
                for target in Self.targets {
                    let expected = Self.table.match(host: host, path: target)
                    let request = host.map { "GET \(target) HTTP/1.1\r\nHost: \($0)\r\n\r\n" }
                        ?? "GET \(target) HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                    try client.send(request)
                    let response = try client.readResponse()
                    if let expected {
                        #expect(backendName(response) == expected.rule.workload, "\(host ?? "-") \(target)")
                        #expect(response.text.contains("GET \(expected.forwardedTarget) HTTP") || response.text.contains("GET \(expected.forwardedTarget)\n"),
                                "\(host ?? "-") \(target) → \(expected.forwardedTarget): \(response.text.prefix(80))")
                    } else {
                        #expect(response.status == 404, "\(host ?? "-") \(target)")
                    }
                    checked += 1
                }
            }
            #expect(checked == Self.hosts.count * Self.targets.count)
        }
    }
}
