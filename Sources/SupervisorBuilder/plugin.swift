import Foundation
import PackagePlugin

/// Builds the static helper executables wbuild copies into containers, each with the system C
/// compiler as a resource of the target that uses the plugin (beside `Bundle.module`):
/// the live-update supervisor `wbuild-init` (Sources/Supervisor/wbuild-init.c), the
/// workload front door `wbuild-door` (Sources/Door/wbuild-door.c) and the project's HTTP router
/// `wbuild-router` (Sources/Router/wbuild-router.c, threaded: `-pthread`). SwiftPM cannot link a static
/// C executable itself: its link driver is swiftc, which adds the Swift runtime and conflicts
/// with `-static`. What both share (the log line, the control dialect) are headers in
/// Sources/HelperSupport.
@main
struct SupervisorBuilder: BuildToolPlugin {
    /// Each helper: its source under the package, the headers of its own beside it, the executable's
    /// name, what the build log says, compiler flags of its own.
    private static let helpers: [(source: String, headers: [String], name: String, what: String, flags: [String])] = [
        (source: "Sources/Supervisor/wbuild-init.c", headers: ["Sources/Supervisor/wbuild-files.h", "Sources/Supervisor/wbuild-probe.h"], name: "wbuild-init",
         what: "the static supervisor", flags: []),
        (source: "Sources/Door/wbuild-door.c", headers: [], name: "wbuild-door", what: "the static front door", flags: []),
        (source: "Sources/Router/wbuild-router.c", headers: ["Sources/Router/wbuild-http.h", "Sources/Router/wbuild-h2-authority.h", "Sources/Router/wbuild-dns.h"], name: "wbuild-router",
         what: "the static HTTP router", flags: ["-O2", "-pthread"]),
    ]

    /// Headers every helper includes (Sources/HelperSupport, passed with `-I`; not a SwiftPM target).
    private static let supportDirectory = "Sources/HelperSupport"
    private static let supportHeaders = ["wbuild-log.h", "wbuild-control.h"]

    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let support = context.package.directoryURL.appending(path: Self.supportDirectory)
        let headers = Self.supportHeaders.map { support.appending(path: $0) }
        return Self.helpers.map { helper in
            let source = context.package.directoryURL.appending(path: helper.source)
            let output = context.pluginWorkDirectoryURL.appending(path: helper.name)
            return .buildCommand(
                displayName: "Linking \(helper.what) \(helper.name)",
                executable: URL(fileURLWithPath: "/usr/bin/cc"),
                arguments: ["-static", "-Os", "-s", "-std=gnu11", "-Wall"] + helper.flags
                    + ["-I", support.path, "-o", output.path, source.path],
                inputFiles: [source] + headers + helper.headers.map { context.package.directoryURL.appending(path: $0) },
                outputFiles: [output])
        }
    }
}
