/// How changed files reach a container.
///
/// Measured by `SyncTransportBenchmark` (Tests/WBuildWorkloadsTests/LiveUpdate) on a 2-core
/// machine under load, p50 ms: one-file edit 2–4 (supervisor) vs 50–90 (engine); 20 files
/// 19–44 vs 47–114; 100 files 93–173 vs 74–177; 500 files 250–570 vs 185–870 (the supervisor
/// creates each file new and renames it over, which overlayfs makes cost ~0.35 ms a file).
/// Hence the supervisor by default, and the engine above `LiveUpdateExecutor.largeBatchFiles`.
public enum SyncTransport: String, Sendable, Equatable, CaseIterable {
    /// Over the supervisor's TCP channel, one pipelined stream per batch, each file written
    /// atomically. Used for containers that run under the supervisor; others, and any the channel
    /// cannot reach, use `engineArchive`.
    case supervisor
    /// One tar per batch through the engine's `PUT /containers/{id}/archive`; deletes through
    /// `docker exec /.wbuild/init rm …` (the supervisor binary is copied in first when missing).
    case engineArchive
}
