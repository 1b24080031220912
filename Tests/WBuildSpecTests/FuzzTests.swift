import Testing
import WBuildTestSupport
@testable import WBuildSpec

@Suite("Fuzz: the loader returns or throws on any input")
struct FuzzTests {
    /// Pieces of JSON5 and of our schema, so random input reaches past the first character.
    static let tokens: [[UInt8]] = [
        "{", "}", "[", "]", ":", ",", "'", "\"", "\\", "/", "*", "//", "/*", "*/", "\n", "\r", " ", "$", "${",
        "0x", ".", "-", "+", "e", "1", "0", "65535", "1e999", "Infinity", "NaN", "null", "true", "false",
        "\\u", "\\x", "\\ud800", "name", "workloads", "tasks", "ports", "container", "env", "dependsOn",
        "${a.host}", "${a.port.x}", "cmd", "serve", "build", "image", "'a'", "a", "b", "\u{2028}", "é", "😀",
    ].map { Array($0.utf8) }

    /// Loads `bytes` and checks what a caller relies on: either a spec, or at least one
    /// diagnostic, each naming the file and a position inside it.
    static func checkLoads(_ bytes: [UInt8]) {
        do {
            let spec = try ProjectLoader.parse(bytes, fileName: "fuzz.json")
            #expect(!spec.name.isEmpty, "a loaded spec always has its required name")
        } catch {
            #expect(!error.diagnostics.isEmpty, "a SpecError carries at least one diagnostic")
            let lineCount = bytes.reduce(1) { $0 + ($1 == 10 || $1 == 13 ? 1 : 0) } + bytes.count
            for diagnostic in error.diagnostics {
                #expect(diagnostic.file == "fuzz.json")
                #expect(diagnostic.line >= 1 && diagnostic.line <= lineCount, "\(diagnostic)")
                #expect(diagnostic.column >= 1, "\(diagnostic)")
                #expect(!diagnostic.message.isEmpty)
            }
        }
    }

    /// Runs `body` up to `iterations` times or until `budget` has passed, whichever comes first.
    static func repeatBounded(_ iterations: Int, budget: Duration, _ body: (Int) -> Void) -> Int {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: budget)
        var done = 0
        while done < iterations && clock.now < deadline {
            body(done)
            done += 1
        }
        return done
    }

    @Test("random byte strings and token soups")
    func randomInputs() {
        var random = SeededGenerator(seed: 0x5EED_0001)
        let done = Self.repeatBounded(4000, budget: .seconds(30)) { iteration in
            var bytes: [UInt8] = []
            let length = Int.random(in: 0...120, using: &random)
            if iteration % 2 == 0 {
                for _ in 0..<length { bytes.append(UInt8.random(in: 0...255, using: &random)) }
            } else {
                for _ in 0..<length / 3 {
                    bytes += Self.tokens[Int.random(in: 0..<Self.tokens.count, using: &random)]
                }
            }
            Self.checkLoads(bytes)
        }
        #expect(done > 0)
    }

    @Test("mutations of a valid project file")
    func mutatedValidFile() {
        var random = SeededGenerator(seed: 0x5EED_0002)
        let original = Array(designExample.utf8)
        let done = Self.repeatBounded(4000, budget: .seconds(30)) { _ in
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                Self.mutate(&bytes, using: &random)
            }
            Self.checkLoads(bytes)
        }
        #expect(done > 0)
    }

    @Test("pathological shapes: deep nesting, long runs, unterminated constructs")
    func pathological() {
        let shapes: [String] = [
            String(repeating: "[", count: 50_000),
            String(repeating: "{a:", count: 50_000),
            String(repeating: "[", count: 255) + String(repeating: "]", count: 255),
            "{ name: 'p', workloads: " + String(repeating: "{a:", count: 300) + " }",
            "'" + String(repeating: "\\", count: 10_001),
            "/*" + String(repeating: "*", count: 10_000),
            String(repeating: "9", count: 10_000),
            "0x" + String(repeating: "F", count: 1_000),
            "{ name: 'p', tasks: {" + (0..<2000).map { "t\($0): { cmd: 'x', dependsOn: ['t\($0 + 1)'] }," }.joined()
                + "t2000: { cmd: 'x', dependsOn: ['t0'] } } }",
            "{ name: 'p', workloads: { a: { image: 'x', env: { A: '" + String(repeating: "${", count: 5000) + "' } } } }",
            // Many clashes and unknown names: every check must stay near-linear.
            "{ name: 'p', workloads: {" + (0..<3000).map { "w\($0): { image: 'x', ports: [{ container: 1, host: 80, hostIp: '10.0.\($0 / 256).\($0 % 256)', protocol: 'http' }], routes: ['/'], dependsOn: ['nope\($0)'], env: { A: '${w\($0 + 1).port.p}' } }," }.joined() + "} }",
        ]
        for shape in shapes {
            Self.checkLoads(Array(shape.utf8))
        }
    }

    @Test("a long dependency chain cycle is found without overflowing the stack")
    func longCycle() {
        let text = "{ name: 'p', tasks: {" + (0..<2000).map { "t\($0): { cmd: 'x', dependsOn: ['t\($0 + 1)'] }," }.joined()
            + "t2000: { cmd: 'x', dependsOn: ['t0'] } } }"
        let found = diagnostics(text)
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("dependency cycle: task:t0 → task:t1 → ") == true)
    }

    static func mutate(_ bytes: inout [UInt8], using random: inout SeededGenerator) {
        guard !bytes.isEmpty else {
            bytes = tokens[Int.random(in: 0..<tokens.count, using: &random)]
            return
        }
        let position = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<6, using: &random) {
        case 0:  // delete a run
            let end = min(bytes.count, position + Int.random(in: 1...8, using: &random))
            bytes.removeSubrange(position..<end)
        case 1:  // insert a token
            bytes.insert(contentsOf: tokens[Int.random(in: 0..<tokens.count, using: &random)], at: position)
        case 2:  // overwrite a byte with anything
            bytes[position] = UInt8.random(in: 0...255, using: &random)
        case 3:  // duplicate a slice
            let end = min(bytes.count, position + Int.random(in: 1...64, using: &random))
            bytes.insert(contentsOf: bytes[position..<end], at: Int.random(in: 0...bytes.count, using: &random))
        case 4:  // truncate
            bytes.removeSubrange(position...)
        default:  // swap two bytes
            let other = Int.random(in: 0..<bytes.count, using: &random)
            bytes.swapAt(position, other)
        }
    }
}
