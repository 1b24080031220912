import Testing
import WBuildTestSupport
@testable import wbuild

/// Random and mutated command lines through the parser and every option conversion: each
/// either parses to values in range or fails with a usage error that names the command and says
/// what was wrong. A trap would end the test process, so reaching the end is the first assertion.
@Suite struct ArgumentFuzzTests {
    /// Pieces a command line is made of, good and bad.
    static let pieces: [String] = [
        "-", "--", "---", "-j", "-j4", "-j0", "-j-1", "-jinf", "--jobs", "--jobs=", "--jobs=8", "--jobs=-3",
        "--timeout", "--timeout=", "--timeout=inf", "--timeout=nan", "--timeout=1e300", "--timeout=-1",
        "--timeout=0", "--timeout=2.5", "--timeout=99999999999999999999", "--format", "--format=dot", "--format=",
        "--file", "-f", "-fwbuild.json", "--json", "--json=1", "--verbose", "-v", "-vv", "-h", "--help", "--force",
        "--volumes", "--follow", "--bogus", "-x", "-", "=", "==", "--=", "-=", "inf", "nan", "-inf", "1e300", "-1",
        "0", "65536", "99999", "99999999999999999999", "0x10", "", " ", "api", "task:api", "é", "😀", "-é", "--é",
        "\u{0}", "\n", "-\u{301}", "--jobs=\u{0663}",
        "--tail", "--tail=all", "--tail=-1", "-n5", "--since", "--since=1h30m", "--since=500ms", "--since=1e300s",
        "--since=99999999999999999999d", "--since=inf", "--replica", "--replica=1", "--replica=-1", "--timestamps", "-t",
        "--explain", "--explain=GET", "GET", "/api", "/a b", "--host", "--host=api.localhost",
    ]

    /// Parses `argv` for `command` and converts every option; returns the usage error, if any.
    static func check(_ argv: [String], command: CommandInfo) -> UsageError? {
        do {
            let parsed = try ArgumentParser.parse(argv, command: command.name, accepting: command.flags)
            let context = CommandContext(arguments: parsed, console: Console())
            try context.validateOptionValues()
            // What validation let through is in range.
            let jobs = try context.parallelism()
            #expect(jobs >= 1)
            if parsed.has("jobs") { #expect(jobs <= OptionValues.maximumJobs) }
            let timeout = try context.readyTimeout()
            #expect(timeout > .zero && timeout <= .seconds(OptionValues.maximumTimeoutSeconds))
            for flag in parsed.flags.keys {
                #expect(command.flags.contains { $0.long == flag }, "parsed an undeclared flag --\(flag)")
            }
            return nil
        } catch {
            #expect(error.command == command.name, "a usage error names its command: \(argv)")
            #expect(!error.message.isEmpty, "a usage error says what was wrong: \(argv)")
            return error
        }
    }

    static func pick<T>(_ items: [T], using random: inout SeededGenerator) -> T {
        items[Int.random(in: 0..<items.count, using: &random)]
    }

    static func randomArgv(using random: inout SeededGenerator) -> [String] {
        var argv: [String] = []
        for _ in 0..<Int.random(in: 0...6, using: &random) {
            switch Int.random(in: 0..<10, using: &random) {
            case 0:
                // Random scalars, sometimes with a leading dash.
                var text = Bool.random(using: &random) ? "-" : ""
                for _ in 0..<Int.random(in: 0...8, using: &random) {
                    let value = UInt32.random(in: 0...0x2FF, using: &random)
                    if let scalar = Unicode.Scalar(value) { text.unicodeScalars.append(scalar) }
                }
                argv.append(text)
            case 1:
                // A piece with a random number glued on.
                let number = [String(Int.random(in: Int.min...Int.max, using: &random)),
                              String(Double.random(in: -1e300...1e300, using: &random) * 1e8),
                              String(UInt64.random(in: 0...UInt64.max, using: &random)) + "0"]
                argv.append(pick(pieces, using: &random) + pick(number, using: &random))
            default:
                argv.append(pick(pieces, using: &random))
            }
        }
        return argv
    }

    @Test func randomCommandLinesNeverTrapAndFailOnlyWithUsageErrors() {
        var random = SeededGenerator(seed: 0xA26_0001)
        var failures = 0
        for _ in 0..<20_000 {
            let command = Self.pick(CommandCatalog.commands, using: &random)
            if Self.check(Self.randomArgv(using: &random), command: command) != nil { failures += 1 }
        }
        // Both outcomes are reached, so the fuzzing exercises the conversions, not just the parser.
        #expect(failures > 1000 && failures < 20_000)
    }

    @Test func mutationsOfValidCommandLinesNeverTrap() {
        let valid: [(String, [String])] = [
            ("up", ["--timeout", "30", "-j", "4", "api"]), ("once", ["--jobs=2", "--force", "task:a"]),
            ("watch", ["-j8", "--json"]), ("graph", ["--format", "dot", "-f", "x/wbuild.json"]),
            ("logs", ["api", "-f", "--file", "w.json"]), ("down", ["--volumes"]),
            ("routes", ["--explain", "GET", "/api/users", "--host", "api.localhost", "--json"]),
        ]
        var random = SeededGenerator(seed: 0xA26_0002)
        for _ in 0..<10_000 {
            let (name, original) = Self.pick(valid, using: &random)
            var argv = original
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let index = argv.isEmpty ? 0 : Int.random(in: 0..<argv.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0 where !argv.isEmpty: argv.remove(at: index)
                case 1: argv.insert(Self.pick(Self.pieces, using: &random), at: min(index, argv.count))
                case 2 where !argv.isEmpty:
                    var scalars = Array(argv[index].unicodeScalars)
                    if !scalars.isEmpty { scalars.remove(at: Int.random(in: 0..<scalars.count, using: &random)) }
                    argv[index] = String(String.UnicodeScalarView(scalars))
                default:
                    if !argv.isEmpty { argv[index] = Self.pick(Self.pieces, using: &random) }
                }
            }
            guard let command = CommandCatalog.command(name) else { continue }
            _ = Self.check(argv, command: command)
        }
    }

    @Test(arguments: [
        (["--timeout", "inf"], "--timeout takes a number of seconds"),
        (["--timeout=nan"], "--timeout takes a number of seconds"),
        (["--timeout", "1e300"], "--timeout takes a number of seconds"),
        (["--timeout", "-1"], "--timeout takes a number of seconds"),
        (["-j", "99999999999999999999"], "--jobs takes a whole number from 1 to 1024"),
        (["-j0"], "--jobs takes a whole number from 1 to 1024"),
        (["--timeout"], "option --timeout needs a value (SECONDS)"),
        (["--timeuot", "5"], "did you mean --timeout?"),
    ])
    func knownBadCommandLinesSayWhatIsExpected(_ argv: [String], _ phrase: String) {
        guard let up = CommandCatalog.command("up") else { Issue.record("no up command"); return }
        let error = Self.check(argv, command: up)
        #expect(error?.message.contains(phrase) == true, "\(String(describing: error))")
    }
}
