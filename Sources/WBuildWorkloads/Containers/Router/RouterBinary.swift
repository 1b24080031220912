/// The statically linked HTTP router `wbuild-router`, built from `Router/wbuild-router.c` by the
/// `SupervisorBuilder` plugin and shipped as a resource of this module. It runs as PID 1 of the
/// project's router container, an HTTP/1.1 reverse proxy that owns the routes' port and sends each
/// request to a ready replica of the workload whose route takes it, following the table and the
/// replica sets wbuild gives it on its control port: see the C file's header for its command line
/// and control protocol.
public enum RouterBinary {
    /// The TCP port the router serves its control protocol on unless told otherwise (`--control`).
    public static let defaultControlPort = 47013

    /// The TCP port the router serves HTTP on unless told otherwise (`--listen`).
    public static let defaultListenPort = 8000

    /// The router's name in its greeting (`OK wbuild-router 2`).
    static let program = "wbuild-router"

    /// Overrides where the binary is found (for an installed wbuild whose resources moved).
    public static let pathVariable = "WBUILD_ROUTER"

    /// Where the binary is found.
    public static let resource = ResourceBinary(name: "wbuild-router", pathVariable: pathVariable)

    /// The path of the built binary on the host: `$WBUILD_ROUTER`, else the module's resource
    /// bundle beside the running executable (`wbuild_WBuildWorkloads.resources/wbuild-router`).
    /// `workload` is the one whose route needs it, for the error.
    public static func hostPath(workload: String) throws(WorkloadPlanError) -> String {
        do {
            return try resource.hostPath()
        } catch {
            throw planError(error, workload: workload)
        }
    }

    /// The binary's bytes, found and read once, on a thread of its own (not the cooperative pool).
    public static func contents(workload: String) async throws(WorkloadPlanError) -> [UInt8] {
        do {
            return try await resource.contents()
        } catch {
            throw planError(error, workload: workload)
        }
    }

    private static func planError(_ failure: ResourceBinary.Failure, workload: String) -> WorkloadPlanError {
        switch failure {
        case .missing(let candidates):
            WorkloadPlanError(workload: workload,
                              message: "its router wbuild-router is not at \(candidates.joined(separator: " or "))",
                              hint: resource.hint)
        case .unreadable(let path, let cause):
            WorkloadPlanError(workload: workload, message: "cannot read its router at \(path): \(cause)")
        }
    }
}
