import WBuildDocker

/// How a container's PID 1 is chosen so signals are forwarded and zombies reaped: wbuild's own
/// supervisor for live-updated workloads (it restarts the process), otherwise the engine's init
/// (`HostConfig.Init`: tini, which the engine provides, so it works on any engine and whatever
/// the image is). The supervisor's command line carries nothing secret: it reads its channel's
/// secret from `/.wbuild/secret`, which `SupervisorInjection` writes before the start.
enum ProcessWrapping {
    /// The full argv the container would run, when it can be known: the entrypoint given (the
    /// engine then ignores the image's command) plus the command; or the image's entrypoint
    /// plus the command given or the image's.
    static func process(entrypoint: [String]?, command: [String]?, image: ImageProcess?) -> [String]? {
        if let entrypoint { return entrypoint + (command ?? []) }
        guard let image else { return nil }
        return image.entrypoint + (command ?? image.command)
    }

    /// Entrypoint, command and whether the engine's init goes in front.
    struct Decision: Equatable {
        var entrypoint: [String]?
        var command: [String]?
        var engineInit: Bool
    }

    static func decide(entrypoint: [String]?, command: [String]?, image: ImageProcess?, supervisor: Bool,
                       engineInit: Bool, workload: String) throws(WorkloadPlanError) -> Decision {
        guard supervisor else {
            return Decision(entrypoint: entrypoint, command: command, engineInit: engineInit)
        }
        guard let process = Self.process(entrypoint: entrypoint, command: command, image: image), !process.isEmpty else {
            throw WorkloadPlanError(
                workload: workload, message: "cannot run under the live-update supervisor: its process is unknown",
                hint: "give `entrypoint` (or `command`) in wbuild.json, or set the plan's imageProcess from the image config")
        }
        // The supervisor is PID 1 itself: it forwards signals and reaps.
        return Decision(entrypoint: [WorkloadPlan.supervisorPath, "--"] + process, command: nil, engineInit: false)
    }
}
