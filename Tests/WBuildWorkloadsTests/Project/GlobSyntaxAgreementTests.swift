import Testing
import WBuildFiles
import WBuildTestSupport
@testable import WBuildSpec

/// The loader's pattern check (`GlobSyntax`, WBuildSpec) and the compiler's callers (`Glob`,
/// `IgnoreRule`, WBuildFiles) share one compiler (`WBuildPatterns.GlobCompiler`); what each adds
/// around it (the dialect, an ignore line's trimming, cleaning and `!`) must still agree: for the
/// same random patterns both accept or both reject, with the same reason at the same place, so
/// nothing the loader lets through fails later without a line and column.
@Suite struct GlobSyntaxAgreementTests {
    static let alphabet: [String] = ["[", "]", "!", "^", "-", "\\", "*", "**", "?", "/", "a", "z", ".", "..", " ", "é", "\t"]

    static func patterns(seed: UInt64, count: Int) -> [String] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            (0..<Int.random(in: 0...9, using: &random)).map { _ in
                alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
            }.joined()
        }
    }

    @Test func standardGlobsAgree() {
        for pattern in Self.patterns(seed: 0x61_0B01, count: 20_000) {
            let compiles = (try? Glob(pattern)) != nil
            let accepted = GlobSyntax.fault(in: pattern, dialect: .standard) == nil
            #expect(compiles == accepted, "\(pattern.debugDescription): compiler \(compiles), loader \(accepted)")
        }
    }

    @Test func dockerGlobsAgree() {
        for pattern in Self.patterns(seed: 0x61_0B02, count: 20_000) {
            let compiles = (try? Glob(pattern, dialect: .docker)) != nil
            let accepted = GlobSyntax.fault(in: pattern, dialect: .docker) == nil
            #expect(compiles == accepted, "\(pattern.debugDescription): compiler \(compiles), loader \(accepted)")
        }
    }

    @Test func ignoreRulesAgree() {
        for pattern in Self.patterns(seed: 0x61_0B03, count: 20_000) {
            let compiles = (try? IgnoreRules(patterns: [pattern])) != nil
            let accepted = GlobSyntax.ignoreRuleFault(pattern) == nil
            #expect(compiles == accepted, "\(pattern.debugDescription): compiler \(compiles), loader \(accepted)")
        }
    }

    @Test func faultsPointWhereTheCompilerDoes() {
        for pattern in Self.patterns(seed: 0x61_0B04, count: 5_000) {
            do {
                _ = try Glob(pattern)
            } catch {
                let fault = GlobSyntax.fault(in: pattern, dialect: .standard)
                #expect(fault?.offset == error.position, "\(pattern.debugDescription)")
                #expect(fault.map { "malformed pattern: \($0.reason)" } == error.message, "\(pattern.debugDescription)")
            }
        }
    }
}
