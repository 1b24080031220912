import Testing
@testable import WBuildWatcher

/// The settle window's arithmetic, on synthetic instants (no waiting).
@Suite struct SettleWindowTests {
    let start = ContinuousClock.now

    @Test func batchClosesAfterTheQuietPeriod() {
        var window = SettleWindow(settle: .milliseconds(30), maxDelay: .milliseconds(1000))
        #expect(window.deadline == nil)
        window.record("a", at: start)
        window.record("b", at: start + .milliseconds(20))
        #expect(window.deadline == start + .milliseconds(50))
        #expect(window.takeBatchIfDue(at: start + .milliseconds(49)) == nil)

        let batch = window.takeBatchIfDue(at: start + .milliseconds(50))
        #expect(batch?.paths == ["a", "b"])
        #expect(batch?.firstEventAt == start)
        #expect(batch?.settledAt == start + .milliseconds(50))
        #expect(window.isEmpty)
    }

    @Test func aContinuousStreamIsCutAtTheHardCap() {
        var window = SettleWindow(settle: .milliseconds(30), maxDelay: .milliseconds(100))
        var now = start
        while now < start + .milliseconds(100) {
            window.record("f\(now)", at: now)
            now += .milliseconds(10)
        }
        #expect(window.deadline == start + .milliseconds(100))
        #expect(window.takeBatchIfDue(at: start + .milliseconds(100))?.paths.count == 10)
    }

    @Test func rescansAloneOpenABatch() {
        var window = SettleWindow(settle: .milliseconds(30), maxDelay: .milliseconds(1000))
        window.recordRescan("", at: start)
        let batch = window.takeBatchIfDue(at: start + .milliseconds(30))
        #expect(batch?.rescanNeeded == [""])
        #expect(batch?.paths.isEmpty == true)
    }
}
