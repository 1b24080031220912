/// How the container runtime creates a container whose process runs under the supervisor: the
/// entrypoint `["/.wbuild/init", "--"] + entrypoint + command`. The supervisor reads its channel's
/// secret from `/.wbuild/secret`, which `SupervisorInjection.install` writes before the start, so
/// nothing secret is on its command line (which `ps` and `docker inspect` show).
public struct SupervisorLaunch: Sendable, Equatable {
    /// The container's entrypoint (its `Cmd` stays empty).
    public var entrypoint: [String]

    /// Wraps `command` (the workload's entrypoint followed by its command).
    public init(wrapping command: [String]) {
        entrypoint = [SupervisorBinary.containerPath, "--"] + command
    }
}
