import Testing
import WBuild
@testable import wbuild

/// `wbuild routes`: the listing and `--explain` as printed (lines, JSON, exit code) from a
/// spec, and the command line it accepts.
@Suite struct RoutesCommandTests {
    static let shop = """
        {
          name: "shop",
          workloads: {
            web: { image: "x", ports: [{ container: 80, protocol: "http" }], routes: ["/"] },
            api: { image: "x", ports: [{ container: 9000 }, { container: 8080, protocol: "http" }],
                   routes: ["/api", { path: "/v2", host: "api.localhost", stripPrefix: true }, { path: "/api/health", match: "exact" }] },
            db: { image: "x", ports: [{ container: 5432 }] },
          },
        }
        """

    static func report(_ text: String = shop) throws -> RoutesReport {
        RoutesReport(spec: try ProjectLoader.parse(Array(text.utf8), fileName: "wbuild.json"), routerURL: nil)
    }

    static func parse(_ argv: [String]) throws -> RouteQuery? {
        guard let info = CommandCatalog.command("routes") else { throw UsageError(message: "no routes command", command: nil) }
        return try RoutesCommand.query(ArgumentParser.parse(argv, command: "routes", accepting: info.flags))
    }

    @Test func theListingIsInPrecedenceOrderWithEachRoutePort() throws {
        let output = try Self.report().listing
        #expect(output.lines == [
            "api.localhost/v2 (prefix, prefix stripped) → api:8080",
            "/api/health (exact) → api:8080",
            "/api (prefix) → api:8080",
            "/ (prefix) → web:80",
        ])
        #expect(output.exitCode == 0)
        #expect(output.json.rendered.hasPrefix(#"{"routes":[{"workload":"api","path":"/v2","match":"prefix","host":"api.localhost","stripPrefix":true,"port":8080},"#))
        #expect(output.json.rendered.hasSuffix(#"{"workload":"web","path":"/","match":"prefix","host":null,"stripPrefix":false,"port":80}]}"#))
    }

    @Test func aProjectWithoutRoutesSaysHowToAddOne() throws {
        let report = try Self.report("{ name: 'p', workloads: { a: { image: 'x' } } }")
        #expect(report.listing.lines == ["no routes", #"hint: add "routes": ["/api"] to a workload with an http port"#])
        #expect(report.listing.exitCode == 0)
        #expect(report.listing.json.rendered == #"{"routes":[]}"#)
        let explained = report.explain(RouteQuery(method: "GET", path: "/"))
        #expect(explained.exitCode == 1)
        #expect(explained.lines.first == "GET /: no routes, so the router answers 404")
    }

    @Test func theRouterURLIsShownWhenKnown() throws {
        let report = RoutesReport(spec: try ProjectLoader.parse(Array(Self.shop.utf8), fileName: "wbuild.json"),
                                  routerURL: "http://127.0.0.1:8000")
        #expect(report.listing.lines.first == "router http://127.0.0.1:8000")
        #expect(report.listing.json.rendered.hasSuffix(#","router":"http://127.0.0.1:8000"}"#))
    }

    @Test func explainSaysWhichRuleTookTheRequestAndWhyTheOthersDidNot() throws {
        let output = try Self.report().explain(RouteQuery(method: "GET", path: "/api/users"))
        #expect(output.exitCode == 0)
        #expect(output.lines == [
            "GET /api/users → api:8080",
            "  ✓ /api (prefix) → api:8080",
            "  · / (prefix) → web:80: matches, but /api (prefix) → api ranks first",
            "  ✗ api.localhost/v2 (prefix, prefix stripped) → api:8080: host api.localhost does not match a request without a host",
            "  ✗ /api/health (exact) → api:8080: /api/users is not exactly /api/health",
        ])
    }

    @Test func explainWithAHostShowsTheForwardedTarget() throws {
        let output = try Self.report().explain(RouteQuery(method: "POST", path: "/v2/x?q=1", host: "API.localhost:8000"))
        #expect(output.exitCode == 0)
        #expect(output.lines.first == "POST API.localhost:8000/v2/x?q=1 → api:8080 as /x?q=1")
        let json = output.json.rendered
        #expect(json.hasPrefix(#"{"matched":{"workload":"api","path":"/v2","match":"prefix","host":"api.localhost","stripPrefix":true,"port":8080},"forwardedTarget":"/x?q=1","rules":[{"rule":{"workload":"api","#))
        #expect(json.contains(#""verdict":"taken","why":null}"#))
        #expect(json.contains(#""verdict":"outranked","why":"matches, but api.localhost/v2 (prefix, prefix stripped) → api ranks first"}"#))
        #expect(json.contains(#""verdict":"notMatched","why":"/v2/x is not /api or below it"}"#))
        #expect(json.hasSuffix(#""request":{"method":"POST","path":"/v2/x?q=1","host":"API.localhost:8000"}}"#))
    }

    @Test func explainWithoutAMatchIsExitOneAndA404() throws {
        let report = try Self.report(project(routes: "['/api']"))
        let output = report.explain(RouteQuery(method: "GET", path: "/apix"))
        #expect(output.exitCode == 1)
        #expect(output.lines == [
            "GET /apix: no route matches, so the router answers 404",
            "  ✗ /api (prefix) → a:80: /apix is not /api or below it",
        ])
        #expect(output.json.rendered.hasPrefix(#"{"matched":null,"forwardedTarget":null,"rules":[{"#))
    }

    private func project(routes: String) -> String {
        "{ name: 'p', workloads: { a: { image: 'x', ports: [{ container: 80, protocol: 'http' }], routes: \(routes) } } }"
    }

    @Test func theCommandLineGivesTheQuery() throws {
        #expect(try Self.parse([]) == nil)
        #expect(try Self.parse(["--json", "-f", "x.json"]) == nil)
        #expect(try Self.parse(["--explain", "GET", "/api/users"]) == RouteQuery(method: "GET", path: "/api/users"))
        #expect(try Self.parse(["/api", "--explain=delete", "--host", "api.localhost"])
                == RouteQuery(method: "DELETE", path: "/api", host: "api.localhost"))
    }

    @Test(arguments: [
        (["--explain", "GET"], "--explain GET needs a PATH"),
        (["--explain"], "option --explain needs a value (METHOD)"),
        (["--explain", "G-T", "/"], "--explain takes an HTTP method"),
        (["--explain", "", "/"], "--explain takes an HTTP method"),
        (["--explain", "GET", "api"], "PATH is a request path starting with /"),
        (["--explain", "GET", "/a b"], "PATH is a request path starting with /"),
        (["--explain", "GET", "/a", "/b"], "--explain takes one PATH"),
        (["--explain", "GET", "/", "--host", "a/b"], "--host takes a host name"),
        (["--host", "api.localhost"], "--host goes with --explain"),
        (["/api"], "unexpected argument `/api`"),
        (["--explian", "GET"], "did you mean --explain?"),
    ])
    func badCommandLinesAreUsageErrors(_ argv: [String], _ phrase: String) {
        #expect {
            _ = try Self.parse(argv)
        } throws: { error in
            guard let usage = error as? UsageError else { return false }
            return usage.command == "routes" && usage.message.contains(phrase)
        }
        // The same check runs before any command does, so a bad query never reaches the loader.
        if let info = CommandCatalog.command("routes"), let parsed = try? ArgumentParser.parse(argv, command: "routes", accepting: info.flags) {
            #expect(throws: UsageError.self) { try CommandContext(arguments: parsed, console: Console()).validateOptionValues() }
        }
    }

    @Test func helpListsTheCommand() {
        #expect(CommandCatalog.overview.contains("routes"))
        #expect(CommandCatalog.command("routes")?.usage == "wbuild routes [--explain METHOD PATH [--host HOST]] [--json]")
    }
}
