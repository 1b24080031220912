import Testing
@testable import WBuildSpec

/// Every key that holds patterns rejects a malformed one at load, at its own line, column and
/// key path — `outputs`, `watch.ignore`, `fallBackOn` and `trigger` used to accept them, and one
/// bad `watch.ignore` entry silently turned every watch ignore off.
@Suite struct GlobValidationTests {
    /// A file whose line 3 holds `key: [ 'ok', BAD ]` at a known place, and the key path of BAD.
    struct Case: Sendable, CustomTestStringConvertible {
        let key: String
        let text: String
        let keyPath: String
        let column: Int
        var testDescription: String { key }
    }

    static let cases: [Case] = [
        Case(key: "inputs", text: """
        { name: 'p', tasks: {
          a: { cmd: 'x',
            inputs: ['src/**', 'src/[a'] } } }
        """, keyPath: "tasks.a.inputs[1]", column: 24),
        Case(key: "outputs", text: """
        { name: 'p', tasks: {
          a: { cmd: 'x',
            outputs: ['dist', 'out/[]'] } } }
        """, keyPath: "tasks.a.outputs[1]", column: 23),
        Case(key: "ignore", text: """
        { name: 'p', tasks: {
          a: { cmd: 'x', inputs: ['src'],
            ignore: ['*.tmp', 'x\\\\'] } } }
        """, keyPath: "tasks.a.ignore[1]", column: 23),
        Case(key: "watch.ignore", text: """
        { name: 'p', watch: {
          settleMs: 10,
            ignore: ['node_modules', 'build/[z-'] } }
        """, keyPath: "watch.ignore[1]", column: 30),
        Case(key: "fallBackOn", text: """
        { name: 'p', workloads: { api: { build: { context: '.' },
          liveUpdate: {
            fallBackOn: ['deps.txt', '[a]]x[b'] } } } }
        """, keyPath: "workloads.api.liveUpdate.fallBackOn[1]", column: 30),
        Case(key: "trigger", text: """
        { name: 'p', workloads: { api: { build: { context: '.' },
          liveUpdate: { run: [{ cmd: 'x',
            trigger: ['deps.txt', 'a[-z]'] }] } } } }
        """, keyPath: "workloads.api.liveUpdate.run[0].trigger[1]", column: 27),
    ]

    @Test(arguments: cases)
    func aMalformedPatternIsReportedAtItsLineAndColumn(_ testCase: Case) {
        let found = diagnostics(testCase.text)
        #expect(found.count == 1, "\(found)")
        guard let diagnostic = found.first else { return }
        #expect(diagnostic.keyPath == testCase.keyPath)
        #expect(diagnostic.line == 3 && diagnostic.column == testCase.column, "\(diagnostic)")
        #expect(diagnostic.message.hasPrefix("malformed glob: "), "\(diagnostic)")
        #expect(diagnostic.description.hasPrefix("wbuild.json:3:\(testCase.column): \(testCase.keyPath): malformed glob"))
        #expect(diagnostic.hint?.contains("escape") == true)
    }

    @Test func theMessageSaysWhatIsWrongAndWhere() {
        let found = diagnostics("{ name: 'p', tasks: { a: { cmd: 'x', inputs: ['src/[a'] } } }")
        #expect(found.first?.message == #"malformed glob: unclosed '[' at character 5 of "src/[a""#)
    }

    @Test func everyBadEntryIsReportedNotJustTheFirst() {
        let found = diagnostics("{ name: 'p', watch: { ignore: ['[', 'ok', ']-[', '!'] } }")
        #expect(found.map(\.keyPath) == ["watch.ignore[0]", "watch.ignore[2]", "watch.ignore[3]"], "\(found)")
    }

    @Test func wellFormedPatternsOfEveryKeyLoad() throws {
        let spec = try loadSpec("""
        { name: 'p', watch: { ignore: ['node_modules', '**/*.log', '!keep.log', '[^.]*', '  '] },
          tasks: { a: { cmd: 'x', inputs: ['src/**/*.[ch]', 'a\\\\[b'], outputs: ['dist/**'], ignore: ['!src/x', 'src/[!x]'] } },
          workloads: { api: { build: { context: '.' }, liveUpdate: { fallBackOn: ['./deps/*.txt'],
            run: [{ cmd: 'x', trigger: ['pkg/[a-z]*'] }] } } } }
        """)
        #expect(spec.watch.ignore.count == 5)
        #expect(spec.tasks.first?.inputs == ["src/**/*.[ch]", "a\\[b"])
    }

    /// The dialects differ where the compiler's do: `[!]` is a class of `!` in a `.dockerignore`
    /// rule, and an empty negated class in a standard glob.
    @Test func dialectsDifferOnlyWhereTheCompilerDoes() {
        #expect(GlobSyntax.ignoreRuleFault("[!]") == nil)
        #expect(GlobSyntax.fault(in: "[!]", dialect: .standard)?.reason == "empty character class")
        #expect(GlobSyntax.ignoreRuleFault("a\\/")?.reason == "trailing backslash escapes nothing")
        #expect(GlobSyntax.fault(in: "a\\/", dialect: .standard) == nil)
        #expect(GlobSyntax.liveUpdateFault("./x/.") == nil)
    }
}
