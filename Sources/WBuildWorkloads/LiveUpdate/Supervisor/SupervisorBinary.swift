import WBuildSystem
import Foundation

/// The statically linked supervisor `wbuild-init`, built from `Supervisor/wbuild-init.c` by the
/// `SupervisorBuilder` plugin and shipped as a resource of this module. It runs as PID 1 in the
/// container: see the C file's header for its command line and control protocol.
public enum SupervisorBinary {
    /// Where the supervisor lives in a container.
    public static let containerPath = "/.wbuild/init"
    /// The TCP port the supervisor listens on inside the container unless told otherwise.
    public static let defaultPort = 47011

    /// The container label carrying the supervisor's channel token (see `SupervisorLaunch`).
    public static let tokenLabel = "dev.wbuild.supervisor-token"

    /// Overrides where the binary is found (for an installed wbuild whose resources moved).
    public static let pathVariable = "WBUILD_SUPERVISOR"

    /// The path of the built binary on the host: `$WBUILD_SUPERVISOR`, else the module's resource
    /// bundle beside the running executable (`wbuild_WBuildWorkloads.resources/wbuild-init`, where
    /// SwiftPM puts it for `wbuild` and the test runner alike). Looked up by hand rather than
    /// through `Bundle.module`, whose accessor stops the process when the bundle is missing.
    public static func hostPath() throws(LiveUpdateError) -> String {
        var candidates: [String] = []
        if let override = ProcessInfo.processInfo.environment[pathVariable], !override.isEmpty {
            candidates.append(override)
        }
        if let executable = executablePath() {
            let directory = (executable as NSString).deletingLastPathComponent
            candidates.append(directory + "/wbuild_WBuildWorkloads.resources/wbuild-init")
        }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw LiveUpdateError(.supervisorMissing,
                              "the live-update supervisor wbuild-init is not at \(candidates.joined(separator: " or "))",
                              hint: "rebuild with `swift build` (the SupervisorBuilder plugin needs /usr/bin/cc and a static libc: "
                                + "Debian gcc and libc6-dev), ship wbuild_WBuildWorkloads.resources beside the wbuild binary, "
                                + "or set \(pathVariable) to the binary")
    }

    /// `/proc/self/exe`, resolved.
    private static func executablePath() -> String? {
        let resolved = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first
        return resolved.map { ($0 as NSString).standardizingPath }
    }

    /// The binary's bytes, found and read once, on a thread of its own (not the cooperative pool).
    public static func contents() async throws(LiveUpdateError) -> [UInt8] {
        do {
            return try await BlockingWork.run(name: "wbuild-supervisor-read") { () throws -> [UInt8] in
                let path = try hostPath()
                do {
                    return try cache.load(path)
                } catch {
                    throw LiveUpdateError(.supervisorMissing, "cannot read the supervisor at \(path)", cause: error)
                }
            }
        } catch let error as LiveUpdateError {
            throw error
        } catch {
            throw LiveUpdateError(.supervisorMissing, "cannot read the supervisor", cause: error)
        }
    }

    private static let cache = FileBytesCache()
}
