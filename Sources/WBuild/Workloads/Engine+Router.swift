import WBuildRouter
import WBuildSpec
import WBuildWorkloads

/// The project's router as `wbuild status` shows it: the app's one URL and what it routes.
public struct RouterStatus: Sendable {
    /// `http://127.0.0.1:20345`; nil when the router does not run or does not answer.
    public let url: String?
    /// The routes, in the order the router reads them: `/api (prefix) → api`.
    public let routes: [String]

    public var json: JSONText {
        .object([("type", .string("router")), ("url", url.map(JSONText.string) ?? .null),
                 ("routes", .array(routes.map(JSONText.string)))])
    }
}

extension Engine {
    /// `wbuild status`'s router line: nil when the project has no routes.
    public static func routerStatus(projectFile: String = ProjectLoader.defaultFileName) async throws(WBuildError) -> RouterStatus? {
        let (spec, runtime, _) = try runtime(projectFile: projectFile, events: .none)
        defer { runtime.shutdown() }
        guard spec.hasRoutes else { return nil }
        return RouterStatus(url: await runtime.routerURL(), routes: spec.routeTable.byPrecedence.map(RouteTable.describe))
    }
}
