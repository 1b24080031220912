import Foundation
import WBuildDocker

/// What the engine remembers of a container's recent starts and exits: how another wbuild
/// process (`wbuild status` beside a `watch`) tells a crash loop from a container that stopped.
struct StartHistory: Sendable, Equatable {
    /// `start` events in the window (the first start included).
    var starts = 0
    /// When the last `die` happened (seconds since the epoch) and its exit code.
    var lastDieAt: Int64?
    var lastExitCode: Int?

    /// Starts after the first one: the restarts some wbuild made.
    var restarts: Int { max(0, starts - 1) }

    /// Restarted, last exited with a failure, and that recently: someone is restarting it
    /// (a watch's backoff waits at most 30 s).
    func isCrashLooping(now: Int64) -> Bool {
        guard restarts > 0, let lastDieAt, let code = lastExitCode, code != 0 else { return false }
        return now - lastDieAt <= WorkloadRuntime.crashLoopMemorySeconds
    }
}

extension WorkloadRuntime {
    /// How far back `status` looks for a container's starts and exits.
    static let historyWindowSeconds: Int64 = 600
    /// A failed exit this recent, after restarts, still counts as a crash loop in progress.
    static let crashLoopMemorySeconds: Int64 = 45

    /// Replays the engine's `start` and `die` events of container `id` over the last
    /// `historyWindowSeconds` (the engine keeps a bounded backlog, so a count can fall short on
    /// a busy engine; the last exit is always among the newest). `until` is this second, not
    /// later: the engine holds a replay open until its `until` has passed, and a status must not
    /// wait. (Events of the current second then show at the next look.) Nil when the engine does
    /// not answer.
    func startHistory(_ id: String) async -> StartHistory? {
        let now = Int64(Date().timeIntervalSince1970)
        var history = StartHistory()
        do {
            let stream = try await client.events(filters: ["type": ["container"], "container": [id], "event": ["start", "die"]],
                                                 since: now - Self.historyWindowSeconds, until: now)
            for try await event in stream where event.actorID == id {
                switch event.action {
                case "start":
                    history.starts += 1
                case "die":
                    history.lastDieAt = event.time
                    history.lastExitCode = event.attributes["exitCode"].flatMap { Int($0) }
                default:
                    break
                }
            }
        } catch {
            return nil
        }
        return history
    }
}
