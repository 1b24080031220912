import Foundation
import PackagePlugin

/// Builds the static helper executables wbuild copies into containers, each with the system C
/// compiler as a resource of the target that uses the plugin (beside `Bundle.module`):
/// the live-update supervisor `wbuild-init` (Sources/Supervisor/wbuild-init.c) and the
/// workload front door `wbuild-door` (Sources/Door/wbuild-door.c). SwiftPM cannot link a static
/// C executable itself: its link driver is swiftc, which adds the Swift runtime and conflicts
/// with `-static`.
@main
struct SupervisorBuilder: BuildToolPlugin {
    /// Each helper: its source under the package, the executable's name, what the build log says.
    private static let helpers = [
        (source: "Sources/Supervisor/wbuild-init.c", name: "wbuild-init", what: "the static supervisor"),
        (source: "Sources/Door/wbuild-door.c", name: "wbuild-door", what: "the static front door"),
    ]

    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        Self.helpers.map { helper in
            let source = context.package.directoryURL.appending(path: helper.source)
            let output = context.pluginWorkDirectoryURL.appending(path: helper.name)
            return .buildCommand(
                displayName: "Linking \(helper.what) \(helper.name)",
                executable: URL(fileURLWithPath: "/usr/bin/cc"),
                arguments: ["-static", "-Os", "-s", "-std=gnu11", "-Wall", "-o", output.path, source.path],
                inputFiles: [source],
                outputFiles: [output])
        }
    }
}
