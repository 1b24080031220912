/// The statically linked front door `wbuild-door`, built from `Door/wbuild-door.c` by the
/// `SupervisorBuilder` plugin and shipped as a resource of this module. It runs as PID 1 of a
/// workload's door container, a TCP proxy that owns the workload's name and published ports and
/// forwards each connection to one of the replicas wbuild names on its control port: see the C
/// file's header for its command line and control protocol.
public enum DoorBinary {
    /// The TCP port the door serves its control protocol on unless told otherwise (`--control`).
    public static let defaultControlPort = 47012

    /// The door's name in its greeting (`OK wbuild-door 2`).
    static let program = "wbuild-door"

    /// Overrides where the binary is found (for an installed wbuild whose resources moved).
    public static let pathVariable = "WBUILD_DOOR"

    /// Where the binary is found.
    public static let resource = ResourceBinary(name: "wbuild-door", pathVariable: pathVariable)

    /// The path of the built binary on the host: `$WBUILD_DOOR`, else the module's resource bundle
    /// beside the running executable (`wbuild_WBuildWorkloads.resources/wbuild-door`). `workload`
    /// is the one whose door needs it, for the error.
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
                              message: "its front door wbuild-door is not at \(candidates.joined(separator: " or "))",
                              hint: resource.hint)
        case .unreadable(let path, let cause):
            WorkloadPlanError(workload: workload, message: "cannot read its front door at \(path): \(cause)")
        }
    }
}
