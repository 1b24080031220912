import WBuildTestSupport
import Testing
import Glibc
@testable import WBuildSystem

/// The only tests in this target that use SIGUSR1/SIGUSR2, serialized so that one test's
/// stream ending (which restores the default action: terminate) never races another's signal.
@Suite(.serialized) struct SignalStreamTests {
    @Test func receivesASignalSentToThisProcess() async throws {
        let stream = SignalStream.make([SIGUSR1])
        #expect(kill(getpid(), SIGUSR1) == 0)
        let received = await withDeadline(.seconds(20)) { await stream.first { _ in true } }
        #expect(received == SIGUSR1)
    }

    @Test func everyStreamForASignalReceivesIt() async throws {
        let first = SignalStream.make([SIGUSR2])
        let second = SignalStream.make([SIGUSR1, SIGUSR2])
        #expect(kill(getpid(), SIGUSR2) == 0)
        let received = await withDeadline(.seconds(20)) {
            [await first.first { _ in true }, await second.first { _ in true }]
        }
        #expect(received == [SIGUSR2, SIGUSR2])
    }

    @Test func onlyTheSignalsAskedForAreDelivered() async throws {
        let onlyTwo = SignalStream.make([SIGUSR2])
        let onlyOne = SignalStream.make([SIGUSR1])
        #expect(kill(getpid(), SIGUSR1) == 0)
        #expect(await withDeadline(.seconds(20)) { await onlyOne.first { _ in true } } == SIGUSR1)
        #expect(kill(getpid(), SIGUSR2) == 0)
        // The first signal onlyTwo sees is SIGUSR2, not the SIGUSR1 sent before.
        #expect(await withDeadline(.seconds(20)) { await onlyTwo.first { _ in true } } == SIGUSR2)
    }

    @Test func theDefaultActionComesBackWhenTheLastStreamEnds() async throws {
        var stream: AsyncStream<Int32>? = SignalStream.make([SIGUSR2])
        #expect(SignalRouter.shared.forwardedSignals.contains(SIGUSR2))
        #expect(stream != nil)
        stream = nil
        #expect(await eventually { !SignalRouter.shared.forwardedSignals.contains(SIGUSR2) })
    }
}
