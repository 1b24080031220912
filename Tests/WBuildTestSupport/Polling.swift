/// Polls `condition` every `interval` until it holds or `deadline` passes; returns whether it
/// held (asked once more at the deadline). The one poll-until-deadline of every test target.
public func eventually(within deadline: Duration = .seconds(20), every interval: Duration = .milliseconds(20),
                       _ condition: () async throws -> Bool) async rethrows -> Bool {
    let end = ContinuousClock.now + deadline
    while ContinuousClock.now < end {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}
