import Foundation

/// Merges a run into the results section of Benchmarks/README.md (between two HTML comment
/// markers): the suites that ran replace their own figures, the others' stay
/// (`ResultsSection.merging`), so reruns neither pile figures up nor drop those of the suites
/// left out.
enum ReadmeUpdater {
    static let beginMarker = "<!-- bench-results:begin -->"
    static let endMarker = "<!-- bench-results:end -->"

    /// The text between the markers, `nil` when the README has none.
    static func section(of readme: String) -> String? {
        markers(in: readme).map { String(readme[$0.begin.upperBound..<$0.end.lowerBound]) }
    }

    /// The README text with `latest` merged into its section; the markers are appended at the
    /// end when the file has none yet.
    static func updated(_ readme: String, with latest: ResultsSection) -> String {
        let previous = section(of: readme).map(ResultsSection.init(parsing:)) ?? ResultsSection()
        let block = beginMarker + "\n" + previous.merging(latest).markdown + "\n" + endMarker
        guard let markers = markers(in: readme) else {
            return readme + (readme.hasSuffix("\n") ? "\n" : "\n\n") + block + "\n"
        }
        return String(readme[..<markers.begin.lowerBound]) + block + String(readme[markers.end.upperBound...])
    }

    static func write(_ latest: ResultsSection, to path: String) throws(BenchError) {
        let current = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# wbuild benchmarks\n"
        do {
            try updated(current, with: latest).write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw BenchError(.fileSystem, "cannot write the results into \(path): \(error.localizedDescription)",
                             hint: "check that the path exists and is writable, or leave out --readme")
        }
    }

    private static func markers(in readme: String) -> (begin: Range<String.Index>, end: Range<String.Index>)? {
        guard let begin = readme.range(of: beginMarker),
              let end = readme.range(of: endMarker, range: begin.upperBound..<readme.endIndex) else { return nil }
        return (begin, end)
    }
}
