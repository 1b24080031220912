import Testing
@testable import WBuildFiles

@Suite("Glob")
struct GlobTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let pattern: String
        let path: String
        let expected: Bool
        var testDescription: String { "\(pattern) ~ \(path) → \(expected)" }
        init(_ pattern: String, _ path: String, _ expected: Bool) {
            self.pattern = pattern
            self.path = path
            self.expected = expected
        }
    }

    static let cases: [Case] = [
        // literals
        Case("main.js", "main.js", true),
        Case("main.js", "src/main.js", false),
        Case("src/main.js", "src/main.js", true),
        Case("", "", true),
        // *
        Case("*.js", "main.js", true),
        Case("*.js", ".js", true),
        Case("*.js", "src/main.js", false),
        Case("src/*.js", "src/main.js", true),
        Case("src/*.js", "src/a/main.js", false),
        Case("*", "anything", true),
        Case("*", "a/b", false),
        Case("a*b*c", "axxbyyc", true),
        Case("a*b*c", "axxbyy", false),
        Case("a*b*c*d*e*f", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
        // **
        Case("**/*.js", "main.js", true),
        Case("**/*.js", "a/b/c/main.js", true),
        Case("**/*.js", "a/b/c/main.ts", false),
        Case("a/**/b", "a/b", true),
        Case("a/**/b", "a/x/b", true),
        Case("a/**/b", "a/x/y/z/b", true),
        Case("a/**/b", "a/xb", false),
        Case("a/**/b", "ab", false),
        Case("src/**", "src/a", true),
        Case("src/**", "src/a/b/c", true),
        Case("src/**", "src", false),
        Case("src/**", "srcx/a", false),
        Case("**", "x/y/z", true),
        Case("**/node_modules/**", "a/node_modules/b/c.js", true),
        Case("**/node_modules/**", "node_modules/b", true),
        Case("**/node_modules/**", "a/node_modulesx/b", false),
        // ?
        Case("?.txt", "a.txt", true),
        Case("?.txt", "ab.txt", false),
        Case("a?b", "a/b", false),
        Case("?.txt", "é.txt", true),
        // classes
        Case("[abc].txt", "b.txt", true),
        Case("[abc].txt", "d.txt", false),
        Case("[a-z].txt", "q.txt", true),
        Case("[a-z].txt", "Q.txt", false),
        Case("[!a-z].txt", "Q.txt", true),
        Case("[!a-z].txt", "q.txt", false),
        Case("[^a-z].txt", "Q.txt", true),
        Case("a[!x]b", "a/b", false),
        Case("[é]", "é", true),
        Case("[\\]]", "]", true),
        // escapes
        Case("\\*.js", "*.js", true),
        Case("\\*.js", "a.js", false),
        Case("a\\?", "a?", true),
        Case("a\\?", "ab", false),
        Case("\\[x]", "[x]", true),
    ]

    @Test(arguments: cases)
    func matching(_ testCase: Case) throws {
        let glob = try Glob(testCase.pattern)
        #expect(glob.matches(testCase.path) == testCase.expected)
    }

    @Test func aDirectoryPatternCoversItsContents() throws {
        let glob = try Glob("web/src")
        #expect(glob.matchesOrContains("web/src"))
        #expect(glob.matchesOrContains("web/src/app/main.js"))
        #expect(!glob.matchesOrContains("web/srcx/main.js"))
        #expect(!glob.matchesOrContains("web"))
        #expect(!glob.matches("web/src/app/main.js"))
    }

    @Test func couldMatchBeneathTellsWhichDirectoriesToSkip() throws {
        #expect(try Glob("web/src/**").couldMatchBeneath(directory: "web"))
        #expect(try Glob("web/src/**").couldMatchBeneath(directory: "web/src"))
        #expect(try !Glob("web/src/**").couldMatchBeneath(directory: "api"))
        #expect(try !Glob("web/src/**").couldMatchBeneath(directory: "web/srcx"))
        #expect(try Glob("**/*.js").couldMatchBeneath(directory: "anything/at/all"))
        #expect(try !Glob("*.js").couldMatchBeneath(directory: "src"))
        #expect(try Glob("*/main.js").couldMatchBeneath(directory: "src"))
        #expect(try !Glob("*/main.js").couldMatchBeneath(directory: "src/deeper"))
        #expect(try Glob("src").couldMatchBeneath(directory: ""))
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        let pattern: String
        let position: Int
        var testDescription: String { pattern }
    }

    @Test(arguments: [
        Malformed(pattern: "src/[abc", position: 4),
        Malformed(pattern: "[", position: 0),
        Malformed(pattern: "a[]", position: 1),
        Malformed(pattern: "abc\\", position: 3),
        Malformed(pattern: "x[a-]", position: 4),
    ])
    func malformedPatternsReportWhereTheProblemIs(_ malformed: Malformed) {
        #expect {
            _ = try Glob(malformed.pattern)
        } throws: { error in
            guard let error = error as? FilesError else { return false }
            return error.code == .malformedPattern && error.pattern == malformed.pattern
                && error.position == malformed.position && error.description.contains(malformed.pattern)
        }
    }

    @Test func dockerDialectTreatsBangAsALiteralInClasses() throws {
        let docker = try Glob("[!x]", dialect: .docker)
        #expect(docker.matches("!"))
        #expect(docker.matches("x"))
        #expect(!docker.matches("y"))
        #expect(try Glob("[!x]").matches("y"))
    }
}
