/// How changed files reach a container.
public enum SyncTransport: String, Sendable, Equatable, CaseIterable {
    /// Over the supervisor's TCP channel, one pipelined stream per batch (the default: about
    /// 1–3 ms per batch against ~46 ms for the engine's archive call). Used for containers that
    /// run under the supervisor; others, and any the channel cannot reach, use `engineArchive`.
    case supervisor
    /// One tar per batch through the engine's `PUT /containers/{id}/archive`; deletes through
    /// `docker exec /.wbuild/init rm …` (the supervisor binary is copied in first when missing).
    case engineArchive
}
