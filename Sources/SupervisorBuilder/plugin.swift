import Foundation
import PackagePlugin

/// Builds the live-update supervisor `wbuild-init` (Sources/Supervisor/wbuild-init.c) as a statically
/// linked executable with the system C compiler, as a resource of the target that uses the
/// plugin (`Bundle.module`'s `wbuild-init`). SwiftPM cannot link a static C executable itself:
/// its link driver is swiftc, which adds the Swift runtime and conflicts with `-static`.
@main
struct SupervisorBuilder: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let source = context.package.directoryURL.appending(path: "Sources/Supervisor/wbuild-init.c")
        let output = context.pluginWorkDirectoryURL.appending(path: "wbuild-init")
        return [
            .buildCommand(
                displayName: "Linking the static supervisor wbuild-init",
                executable: URL(fileURLWithPath: "/usr/bin/cc"),
                arguments: ["-static", "-Os", "-s", "-std=gnu11", "-Wall", "-o", output.path, source.path],
                inputFiles: [source],
                outputFiles: [output])
        ]
    }
}
