import Foundation

/// Replaces the results section of Benchmarks/README.md (between two HTML comment markers)
/// with the latest run, so reruns replace the figures instead of piling them up.
enum ReadmeUpdater {
    static let beginMarker = "<!-- bench-results:begin -->"
    static let endMarker = "<!-- bench-results:end -->"

    /// The README text with `section` between the markers; the markers are appended at the
    /// end when the file has none yet.
    static func updated(_ readme: String, with section: String) -> String {
        let block = beginMarker + "\n" + section + "\n" + endMarker
        guard let begin = readme.range(of: beginMarker),
              let end = readme.range(of: endMarker, range: begin.upperBound..<readme.endIndex) else {
            return readme + (readme.hasSuffix("\n") ? "\n" : "\n\n") + block + "\n"
        }
        return String(readme[..<begin.lowerBound]) + block + String(readme[end.upperBound...])
    }

    static func write(section: String, to path: String) throws(BenchError) {
        let current = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# wbuild benchmarks\n"
        do {
            try updated(current, with: section).write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw BenchError(.fileSystem, "cannot write the results into \(path): \(error.localizedDescription)",
                             hint: "check that the path exists and is writable, or leave out --readme")
        }
    }
}
