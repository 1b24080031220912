import Synchronization
import Testing
@testable import WBuildCore

/// What a person sees of a slow node's progress: nothing for quick work, then a few updates.
@Suite struct ProgressMeterTests {
    final class Collected: Sendable {
        let events = Mutex<[NodeProgress]>([])
        var sink: EventSink {
            EventSink { [self] event in
                if case .progress(_, let progress) = event { events.withLock { $0.append(progress) } }
            }
        }
        var all: [NodeProgress] { events.withLock { $0 } }
    }

    let start = ContinuousClock.now
    func at(_ ms: Int) -> ContinuousClock.Instant { start + .milliseconds(ms) }

    @Test func workThatEndsWithinHalfASecondShowsNothing() {
        let collected = Collected()
        let meter = ProgressMeter(id: NodeID(kind: "image", name: "web"), events: collected.sink, started: start)
        for ms in stride(from: 0, to: 500, by: 50) {
            meter.report(NodeProgress(phase: "sending context", done: ms * 1000, unit: .bytes), now: at(ms))
        }
        #expect(collected.all.isEmpty)
    }

    @Test func slowWorkShowsAtMostFourUpdatesASecondWithTheRate() {
        let collected = Collected()
        let meter = ProgressMeter(id: NodeID(kind: "image", name: "web"), events: collected.sink, started: start)
        for ms in stride(from: 0, through: 1500, by: 10) {
            meter.report(NodeProgress(phase: "sending context", done: ms * 1000, total: 2_000_000, unit: .bytes), now: at(ms))
        }
        // From 0.5 s to 1.5 s, one every 250 ms.
        #expect(collected.all.count == 5)
        let last = collected.all.last
        #expect(last?.done == 1_500_000)
        // 1.5 MB over the 1.5 s since the phase began.
        #expect(last.flatMap(\.ratePerSecond).map { abs($0 - 1_000_000) < 1 } == true)
        #expect(last?.description == "sending context 1.5 MB of 2.0 MB (1.0 MB/s)")
    }

    @Test func aNewStepShowsAtOnceAndAHeldBackOneIsFlushedWhenDue() {
        let collected = Collected()
        let meter = ProgressMeter(id: NodeID(kind: "image", name: "web"), events: collected.sink, started: start)
        meter.report(NodeProgress(phase: "building", detail: "Step 1/3 : FROM base"), now: at(100))
        meter.report(NodeProgress(phase: "building", detail: "Step 2/3 : RUN sleep 5"), now: at(200))
        #expect(collected.all.isEmpty)
        // No update comes during the long RUN step: the ticker's flush shows the step it is on.
        meter.flush(now: at(600))
        #expect(collected.all.map(\.detail) == ["Step 2/3 : RUN sleep 5"])
        meter.report(NodeProgress(phase: "building", detail: "Step 3/3 : LABEL x=1"), now: at(650))
        #expect(collected.all.map(\.detail) == ["Step 2/3 : RUN sleep 5", "Step 3/3 : LABEL x=1"])
    }

    @Test func replicasAndFilesReadAsCounts() {
        #expect(NodeProgress(phase: "waiting for readiness", done: 1, total: 2, unit: .replicas, detail: "connection refused").description
                == "waiting for readiness 1 of 2 replicas — connection refused")
        #expect(NodeProgress(phase: "scanning", done: 12034, unit: .files).description == "scanning 12034 files")
    }
}
