import Testing
@testable import wbuild

/// `logs --since DURATION`: units, combinations, and nothing that can overflow.
@Suite struct DurationArgumentTests {
    @Test(arguments: [("30", 30_000), ("2.5", 2_500), ("500ms", 500), ("30s", 30_000), ("5m", 300_000), ("2h", 7_200_000),
                      ("1d", 86_400_000), ("1h30m", 5_400_000), ("1m30s", 90_000), ("1.5h", 5_400_000)])
    func durations(_ text: String, _ milliseconds: Int) {
        #expect(DurationArgument.milliseconds(text) == milliseconds)
    }

    @Test(arguments: ["", "soon", "-5m", "inf", "nan", "1e300s", "5x", "m", "1h30", "99999999999999999999d", "999999999d", "0x10s"])
    func notDurations(_ text: String) {
        #expect(DurationArgument.milliseconds(text) == nil)
    }
}
