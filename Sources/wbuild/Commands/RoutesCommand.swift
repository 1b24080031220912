import WBuild

/// `wbuild routes`: the project's route table in the order rules are tried, or with
/// `--explain METHOD PATH` which rule takes that request and why each other does not.
/// Reads wbuild.json; the engine only to show the running router's URL (none without it).
enum RoutesCommand {
    static func run(_ context: CommandContext) async throws -> Int32 {
        let query = try query(context.arguments)
        let spec: ProjectSpec
        do {
            spec = try ProjectLoader.load(path: context.projectFile)
        } catch {
            throw WBuildError(.projectFile, error.description)
        }
        // The URL of the router when it runs and answers; the table stands on its own without it.
        let url = spec.hasRoutes ? (try? await Engine.routerStatus(projectFile: context.projectFile))??.url : nil
        let report = RoutesReport(spec: spec, routerURL: url)
        let output = query.map(report.explain) ?? report.listing
        if context.json {
            context.console.out(output.json.rendered)
        } else {
            for line in output.lines { context.console.out(line) }
        }
        return output.exitCode
    }

    /// The request `--explain METHOD PATH [--host HOST]` describes; nil without `--explain`.
    static func query(_ arguments: ParsedArguments) throws(UsageError) -> RouteQuery? {
        let command = arguments.command
        guard let method = arguments.value("explain") else {
            if arguments.has("host") {
                throw UsageError(message: "--host goes with --explain METHOD PATH", command: command)
            }
            if let extra = arguments.positionals.first {
                throw UsageError(message: "unexpected argument `\(OptionValues.shown(extra))`; to test a request, "
                                 + "give --explain METHOD PATH", command: command)
            }
            return nil
        }
        guard (1...20).contains(method.utf8.count),
              method.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("a"..."z").contains($0) }) else {
            throw UsageError(message: "--explain takes an HTTP method (GET, POST, …) and a path, got method `\(OptionValues.shown(method))`",
                             command: command)
        }
        guard let path = arguments.positionals.first else {
            throw UsageError(message: "--explain \(OptionValues.shown(method)) needs a PATH, e.g. --explain GET /api/users",
                             command: command)
        }
        guard path.hasPrefix("/"), !path.unicodeScalars.contains(where: Self.isSpaceOrControl) else {
            throw UsageError(message: "PATH is a request path starting with /, got `\(OptionValues.shown(path))`", command: command)
        }
        if arguments.positionals.count > 1 {
            throw UsageError(message: "--explain takes one PATH, got also `\(OptionValues.shown(arguments.positionals[1]))`",
                             command: command)
        }
        let host = arguments.value("host")
        if let host, host.isEmpty || host.contains("/") || host.unicodeScalars.contains(where: Self.isSpaceOrControl) {
            throw UsageError(message: "--host takes a host name (with a port or not), got `\(OptionValues.shown(host))`",
                             command: command)
        }
        return RouteQuery(method: method.uppercased(), path: path, host: host)
    }

    private static func isSpaceOrControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x21 || scalar.value == 0x7F || scalar.properties.isWhitespace
    }
}

/// A request to explain: the method (shown only; routes match on host and path), the target
/// and the `Host` header.
struct RouteQuery: Equatable {
    var method: String
    var path: String
    var host: String?
}
