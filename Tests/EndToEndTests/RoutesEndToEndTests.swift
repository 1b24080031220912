import Foundation
import Testing
import WBuildTestSupport

/// `wbuild routes` on the real binary: it reads wbuild.json only, so these run without an engine.
@Suite struct RoutesEndToEndTests {
    static let project = """
        {
          name: "wbt-routes-listing",
          workloads: {
            web: { image: "x", ports: [{ container: 80, protocol: "http" }], routes: ["/"] },
            api: { image: "x", ports: [{ container: 8080, protocol: "http" }],
                   routes: ["/api", { path: "/v2", host: "api.localhost", stripPrefix: true }] },
          },
        }
        """

    @Test func routesListsTheTableFromAnyFolderOfTheProject() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try dir.write("wbuild.json", Self.project)
        _ = try dir.write("site/.keep", "")
        let run = try WBuildBinary.run(["routes"], in: dir.url("site"))
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout == "api.localhost/v2 (prefix, prefix stripped) → api:8080\n/api (prefix) → api:8080\n/ (prefix) → web:80\n")
        let json = try WBuildBinary.run(["routes", "--json"], in: dir.path)
        let routes = try #require(json.jsonLines.first?["routes"] as? [[String: Any]])
        #expect(routes.map { $0["workload"] as? String } == ["api", "api", "web"])
    }

    @Test func explainIsExitZeroWhenARouteTakesTheRequestAndOneWhenNoneDoes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try dir.write("wbuild.json", Self.project.replacingOccurrences(of: #"routes: ["/"]"#, with: #"routes: ["/web"]"#))
        let taken = try WBuildBinary.run(["routes", "--explain", "GET", "/v2/users", "--host", "api.localhost"], in: dir.path)
        #expect(taken.exitCode == 0, "\(taken.stderr)")
        #expect(taken.stdout.hasPrefix("GET api.localhost/v2/users → api:8080 as /users\n  ✓ api.localhost/v2"), "\(taken.stdout)")
        let none = try WBuildBinary.run(["routes", "--explain", "GET", "/nothing"], in: dir.path)
        #expect(none.exitCode == 1, "\(none.stderr)")
        #expect(none.stdout.contains("GET /nothing: no route matches, so the router answers 404"), "\(none.stdout)")
        #expect(none.stdout.contains("✗ /web (prefix) → web:80: /nothing is not /web or below it"), "\(none.stdout)")
    }

    @Test func aBadQueryOrABadRouteIsExitTwo() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try dir.write("wbuild.json", Self.project)
        let usage = try WBuildBinary.run(["routes", "--explain", "GET"], in: dir.path)
        #expect(usage.exitCode == 2)
        #expect(usage.stderr.contains("wbuild routes: --explain GET needs a PATH"), "\(usage.stderr)")
        #expect(usage.stderr.contains("usage: wbuild routes"), "\(usage.stderr)")
        _ = try dir.write("wbuild.json", "{ name: 'p',\n  workloads: { a: { image: 'x', ports: [{ container: 80 }], routes: ['/a'] } } }")
        let spec = try WBuildBinary.run(["routes"], in: dir.path)
        #expect(spec.exitCode == 2)
        #expect(spec.stderr.contains("wbuild.json:2:69: workloads.a.routes: routes go to the workload's first http, http2 or grpc port"),
                "\(spec.stderr)")
    }
}
