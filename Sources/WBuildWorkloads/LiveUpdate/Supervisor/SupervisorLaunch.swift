/// How the container runtime creates a container whose process runs under the supervisor:
/// the entrypoint `["/.wbuild/init", "--token", T, "--"] + entrypoint + command`, and a label
/// carrying `T`, from which the executor learns the token (`ControlEndpoint.resolveSupervisor`). The
/// token keeps other containers on the network from writing files through the supervisor's
/// channel; only clients that can inspect the container (the Docker socket) know it.
public struct SupervisorLaunch: Sendable, Equatable {
    /// The container's entrypoint (its `Cmd` stays empty).
    public var entrypoint: [String]
    /// Labels to add to the container's.
    public var labels: [String: String]
    public var token: String

    /// Wraps `command` (the workload's entrypoint followed by its command) with a fresh token.
    public init(wrapping command: [String]) {
        self.init(wrapping: command, token: ControlEndpoint.freshToken())
    }

    public init(wrapping command: [String], token: String) {
        self.token = token
        entrypoint = [SupervisorBinary.containerPath, "--token", token, "--"] + command
        labels = [SupervisorBinary.tokenLabel: token]
    }
}
