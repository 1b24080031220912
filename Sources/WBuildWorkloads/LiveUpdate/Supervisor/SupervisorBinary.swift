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

    /// The path of the built binary on the host.
    public static func hostPath() throws(LiveUpdateError) -> String {
        guard let url = Bundle.module.url(forResource: "wbuild-init", withExtension: nil) else {
            throw LiveUpdateError(.supervisorMissing, "the live-update supervisor wbuild-init is not in the WBuildWorkloads resources",
                                  hint: "rebuild with `swift build`; the SupervisorBuilder plugin needs /usr/bin/cc and a static libc (Debian: gcc, libc6-dev)")
        }
        return url.path
    }

    /// The binary's bytes, found and read once, on a thread of its own (not the cooperative pool).
    public static func contents() async throws(LiveUpdateError) -> [UInt8] {
        do {
            return try await BlockingIO.run("wbuild-supervisor-read") { () throws -> [UInt8] in
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
