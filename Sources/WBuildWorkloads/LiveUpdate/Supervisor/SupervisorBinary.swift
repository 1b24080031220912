/// The statically linked supervisor `wbuild-init`, built from `Supervisor/wbuild-init.c` by the
/// `SupervisorBuilder` plugin and shipped as a resource of this module. It runs as PID 1 in the
/// container: see the C file's header for its command line and control protocol.
public enum SupervisorBinary {
    /// Where the supervisor lives in a container.
    public static let containerPath = "/.wbuild/init"
    /// The TCP port the supervisor listens on inside the container unless told otherwise.
    public static let defaultPort = 47011

    /// Overrides where the binary is found (for an installed wbuild whose resources moved).
    public static let pathVariable = "WBUILD_SUPERVISOR"

    /// Where the binary is found.
    public static let resource = ResourceBinary(name: "wbuild-init", pathVariable: pathVariable)

    /// The path of the built binary on the host: `$WBUILD_SUPERVISOR`, else the module's resource
    /// bundle beside the running executable (`wbuild_WBuildWorkloads.resources/wbuild-init`).
    public static func hostPath() throws(LiveUpdateError) -> String {
        do {
            return try resource.hostPath()
        } catch {
            throw liveUpdateError(error)
        }
    }

    /// The binary's bytes, found and read once, on a thread of its own (not the cooperative pool).
    public static func contents() async throws(LiveUpdateError) -> [UInt8] {
        do {
            return try await resource.contents()
        } catch {
            throw liveUpdateError(error)
        }
    }

    private static func liveUpdateError(_ failure: ResourceBinary.Failure) -> LiveUpdateError {
        switch failure {
        case .missing(let candidates):
            LiveUpdateError(.supervisorMissing,
                            "the live-update supervisor wbuild-init is not at \(candidates.joined(separator: " or "))",
                            hint: resource.hint)
        case .unreadable(let path, let cause):
            LiveUpdateError(.supervisorMissing, "cannot read the supervisor at \(path)", cause: cause)
        }
    }
}
