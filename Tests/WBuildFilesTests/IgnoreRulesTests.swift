import Testing
import WBuildTestSupport
@testable import WBuildFiles

@Suite("Ignore rules (.dockerignore semantics)")
struct IgnoreRulesTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let rules: String
        let path: String
        let ignored: Bool
        var testDescription: String { "\(rules.replacingOccurrences(of: "\n", with: " | ")) : \(path) → \(ignored)" }
        init(_ rules: String, _ path: String, _ ignored: Bool) {
            self.rules = rules
            self.path = path
            self.ignored = ignored
        }
    }

    static let cases: [Case] = [
        Case("node_modules", "node_modules", true),
        Case("node_modules", "node_modules/left-pad/index.js", true),
        Case("node_modules", "web/node_modules/x.js", false),
        Case("**/node_modules", "web/node_modules/x.js", true),
        Case("/build", "build/out.o", true),
        Case("./build/", "build/out.o", true),
        Case("build/../dist", "dist/app.js", true),
        Case("*.log", "debug.log", true),
        Case("*.log", "logs/debug.log", false),
        Case("**/*.log", "logs/deep/debug.log", true),
        Case("*/temp*", "somedir/temporary.txt", true),
        Case("*/temp*", "somedir/sub/temporary.txt", false),
        Case("temp?", "temp1", true),
        Case("temp?", "temp12", false),
        // comments and blank lines
        Case("# *.md\n\n  \nREADME.md", "notes.md", false),
        Case("# *.md\n\n  \nREADME.md", "README.md", true),
        Case("  # not a comment once trimmed", "# not a comment once trimmed", true),
        // exceptions and last match wins
        Case("*.md\n!README.md", "README.md", false),
        Case("*.md\n!README.md", "CHANGES.md", true),
        Case("!README.md\n*.md", "README.md", true),
        Case("docs\n!docs/keep.txt", "docs/keep.txt", false),
        Case("docs\n!docs/keep.txt", "docs/drop.txt", true),
        Case("docs\n!docs/keep.txt\ndocs/keep.txt", "docs/keep.txt", true),
        Case("*\n!src\nsrc/*.tmp", "src/main.c", false),
        Case("*\n!src\nsrc/*.tmp", "src/x.tmp", true),
        Case("*\n!src\nsrc/*.tmp", "Makefile", true),
        Case("**\n!**/*.go", "cmd/tool/main.go", false),
        // ** forms
        Case("a/**/b", "a/b", true),
        Case("a/**/b", "a/x/y/b/c", true),
        Case("a/**", "a", false),
        Case("a/**", "a/x", true),
        Case("**foo", "barfoo", true),
        Case("**/foo", "barfoo", false),
        Case("**/foo", "foo", true),
        // docker quirk: [!x] is a set containing '!' and 'x'
        Case("[!x].txt", "a.txt", false),
        Case("[!x].txt", "x.txt", true),
        Case("[^x].txt", "a.txt", true),
        // escapes
        Case("\\!important", "!important", true),
    ]

    @Test(arguments: cases)
    func matching(_ testCase: Case) throws {
        let rules = try IgnoreRules.parse(testCase.rules)
        #expect(rules.isIgnored(testCase.path) == testCase.ignored)
    }

    @Test func pruningOnlyWhenNoExceptionCanReachInside() throws {
        let plain = try IgnoreRules.parse("node_modules\n*.log")
        #expect(plain.canPruneDirectory("node_modules"))
        #expect(!plain.canPruneDirectory("src"))

        let withException = try IgnoreRules.parse("docs\nvendor\n!docs/keep.txt")
        #expect(!withException.canPruneDirectory("docs"))
        #expect(withException.canPruneDirectory("vendor"))

        let deepException = try IgnoreRules.parse("*\n!**/*.go")
        #expect(!deepException.canPruneDirectory("cmd"))

        let bareSuffix = try IgnoreRules.parse("*\n!**.go")
        #expect(!bareSuffix.canPruneDirectory("cmd"))

        let wholeDirectoryBack = try IgnoreRules.parse("*\n!src")
        #expect(!wholeDirectoryBack.canPruneDirectory("src"))
        #expect(wholeDirectoryBack.canPruneDirectory("node_modules"))
    }

    @Test func theContextRootIsNeverIgnored() throws {
        let everything = try IgnoreRules.parse("*\n**")
        #expect(!everything.isIgnored("."))
        #expect(!everything.isIgnored(""))
        #expect(everything.isIgnored("a"))
    }

    @Test func malformedRulesAreRejectedWithTheirText() {
        #expect(throws: FilesError.self) { try IgnoreRules.parse("ok\nsrc/[abc\n") }
        #expect(throws: FilesError.self) { try IgnoreRules.parse("!\n") }
    }

    @Test func loadsADockerignoreFileAndTreatsAMissingOneAsEmpty() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-ignore")
        defer { directory.remove() }
        let file = try directory.write(".dockerignore", "\u{FEFF}# deps\nnode_modules\r\n*.log\n!keep.log\n")
        let rules = try IgnoreRules.load(file: file)
        #expect(rules.rules.map(\.description) == ["node_modules", "*.log", "!keep.log"])
        #expect(rules.isIgnored("node_modules/a.js"))
        #expect(rules.isIgnored("x.log"))
        #expect(!rules.isIgnored("keep.log"))
        #expect(try IgnoreRules.load(file: directory.url("missing")).rules.isEmpty)
    }

    @Test func aMalformedFileNamesTheFile() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-ignore")
        defer { directory.remove() }
        let file = try directory.write(".dockerignore", "a[\n")
        #expect {
            _ = try IgnoreRules.load(file: file)
        } throws: { error in
            (error as? FilesError)?.path == file
        }
    }
}

@Suite("Default ignores")
struct DefaultIgnoresTests {
    @Test(arguments: [
        ".main.c.swp", ".main.c.swo", ".main.c.swx", "main.c~", "4913",
        ".#main.c", "#main.c#", "main.c___jb_tmp___", "main.c___jb_old___",
        ".main.c.kate-swp", "sedAb12Cd", "sed0a1b2c", ".goutputstream-X1Y2Z3",
    ])
    func editorTemporariesAreRecognised(_ name: String) {
        #expect(DefaultIgnores.isEditorTemporary(fileName: name))
    }

    @Test(arguments: [
        "main.c", "swp", "notes.swp", ".swp", "~", "#", "##", "sedentary", "sed", "sediment.txt",
        "4914", "app.tmp", "README.md", ".gitignore", ".env",
    ])
    func ordinaryNamesAreKept(_ name: String) {
        #expect(!DefaultIgnores.isEditorTemporary(fileName: name))
    }

    @Test func versionControlAndStateDirectoriesAreIgnoredAnywhere() {
        #expect(DefaultIgnores.isIgnored(relativePath: ".git/HEAD", isDirectory: false))
        #expect(DefaultIgnores.isIgnored(relativePath: "vendor/lib/.git", isDirectory: true))
        #expect(DefaultIgnores.isIgnored(relativePath: ".wbuild/state.json", isDirectory: false))
        #expect(DefaultIgnores.isIgnored(relativePath: "src/.main.c.swp", isDirectory: false))
        #expect(!DefaultIgnores.isIgnored(relativePath: "src/main.c", isDirectory: false))
        #expect(!DefaultIgnores.isIgnored(relativePath: ".github/workflows/ci.yml", isDirectory: false))
    }
}
