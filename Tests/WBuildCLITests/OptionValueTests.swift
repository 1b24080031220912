import Testing
@testable import wbuild

/// Every numeric option value a user can type: in range it converts, anything else is a usage
/// error naming the option and what it takes (never a trap: `--timeout inf` used to crash).
@Suite struct OptionValueTests {
    static let badTimeouts = ["inf", "-inf", "infinity", "nan", "NaN", "1e300", "1e3", "-1", "0", "0.0", "0.0000",
                              "99999999999999999999", "86401", "0x10", "+5", " 5", "5 ", "5s", "", ".", "1.", "1..2",
                              "1.2.3", "٣", "5e-1"]

    @Test(arguments: badTimeouts)
    func aTimeoutThatIsNotSecondsIsAUsageError(_ text: String) {
        #expect {
            _ = try OptionValues.timeout(text, command: "up")
        } throws: { error in
            guard let usage = error as? UsageError else { return false }
            return usage.command == "up" && usage.message.contains("--timeout takes a number of seconds from 0.001 to 86400")
        }
    }

    @Test func timeoutsInRangeConvertToTheMillisecond() throws {
        #expect(try OptionValues.timeout("30", command: "up") == .seconds(30))
        #expect(try OptionValues.timeout("2.5", command: "up") == .milliseconds(2500))
        #expect(try OptionValues.timeout(".25", command: "up") == .milliseconds(250))
        #expect(try OptionValues.timeout("0.001", command: "up") == .milliseconds(1))
        #expect(try OptionValues.timeout("0.0011", command: "up") == .milliseconds(2))
        #expect(try OptionValues.timeout("86400", command: "up") == .seconds(86_400))
    }

    static let badJobs = ["0", "-1", "1025", "99999999999999999999", "1e3", "inf", "nan", "4.0", "+4", " 4", "0x4", "", "four"]

    @Test(arguments: badJobs)
    func jobsThatAreNotACountAreAUsageError(_ text: String) {
        #expect {
            _ = try OptionValues.jobs(text, command: "once")
        } throws: { error in
            guard let usage = error as? UsageError else { return false }
            return usage.command == "once" && usage.message.contains("--jobs takes a whole number from 1 to 1024")
        }
    }

    @Test func jobsInRangeConvert() throws {
        #expect(try OptionValues.jobs("1", command: "once") == 1)
        #expect(try OptionValues.jobs("1024", command: "once") == 1024)
    }

    @Test func aLongBadValueIsShortenedInTheMessage() {
        let text = String(repeating: "9", count: 10_000)
        #expect {
            _ = try OptionValues.timeout(text, command: "up")
        } throws: { error in
            (error as? UsageError).map { $0.message.count < 200 } ?? false
        }
    }
}
