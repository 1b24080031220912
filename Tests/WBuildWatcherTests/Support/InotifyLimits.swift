import Foundation

/// Serializes watcher start-up against the one test that lowers the system-wide
/// `fs.inotify.max_queued_events` (read by the kernel when an inotify instance is created),
/// so no other test's instance is created with the lowered queue.
actor InotifyLimits {
    static let shared = InotifyLimits()
    static let queuedEventsPath = "/proc/sys/fs/inotify/max_queued_events"

    private var exclusive = false
    private var sharedHolders = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Runs `start` while no test holds the limits lowered.
    static func startingWatcher<T: Sendable>(_ start: @Sendable () async throws -> T) async throws -> T {
        await shared.acquire(exclusive: false)
        let result: Result<T, any Error>
        do { result = .success(try await start()) } catch { result = .failure(error) }
        await shared.release(exclusive: false)
        return try result.get()
    }

    /// Lowers `max_queued_events` to `value` while `start` creates an inotify instance, then
    /// restores it. Returns nil from `lowered` when the sysctl is not writable here.
    static func withQueuedEventsLowered<T: Sendable>(
        to value: Int, _ start: @Sendable (_ lowered: Bool) async throws -> T
    ) async throws -> T {
        await shared.acquire(exclusive: true)
        let original = try? String(contentsOfFile: queuedEventsPath, encoding: .utf8)
        let lowered = original != nil && write(String(value))
        let result: Result<T, any Error>
        do { result = .success(try await start(lowered)) } catch { result = .failure(error) }
        if lowered, let original { _ = write(original.trimmingCharacters(in: .whitespacesAndNewlines)) }
        await shared.release(exclusive: true)
        return try result.get()
    }

    private static func write(_ text: String) -> Bool {
        (try? text.write(toFile: queuedEventsPath, atomically: false, encoding: .utf8)) != nil
    }

    private func acquire(exclusive wantsExclusive: Bool) async {
        while exclusive || (wantsExclusive && sharedHolders > 0) {
            await withCheckedContinuation { waiters.append($0) }
        }
        if wantsExclusive { exclusive = true } else { sharedHolders += 1 }
    }

    private func release(exclusive wasExclusive: Bool) {
        if wasExclusive { exclusive = false } else { sharedHolders -= 1 }
        let woken = waiters
        waiters = []
        for waiter in woken { waiter.resume() }
    }
}
