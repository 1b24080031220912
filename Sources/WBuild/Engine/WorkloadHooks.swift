import WBuildDocker
import WBuildWorkloads

/// What happens to a workload's container between create and start.
enum WorkloadHooks {
    /// Nothing yet; the live-update supervisor is installed here once it lands.
    static func beforeStart(client: DockerClient) -> @Sendable (WorkloadPlan, String) async throws -> Void {
        { _, _ in }
    }
}
