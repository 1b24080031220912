import Foundation

/// The section as Markdown, and read back from it.
extension ResultsSection {
    /// The run lines, the table, then the problems and the notes (each list only when it has items).
    var markdown: String {
        var lines = runs.map(\.line) + [""]
        lines.append("| " + Self.tableHeader.joined(separator: " | ") + " |")
        lines.append("|" + Self.tableHeader.map { _ in "---" }.joined(separator: "|") + "|")
        lines += rows
        if !problems.isEmpty { lines += ["", "Problems:", ""] + problems }
        if !notes.isEmpty { lines += ["", "Notes:", ""] + notes }
        return lines.joined(separator: "\n")
    }

    /// Reads what `markdown` writes. A line `Latest …: <summary>` in another form (the single
    /// header line earlier versions wrote) counts as the oldest run, of the suites whose rows
    /// no other run line claims; other text outside the table and the lists is dropped.
    init(parsing text: String) {
        self.init()
        var list: WritableKeyPath<ResultsSection, [String]>?
        var legacySummary: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let run = Run(line: line) {
                runs.append(run)
            } else if line.hasPrefix("Latest "), list == nil, let colon = line.range(of: ": ") {
                legacySummary = String(line[colon.upperBound...])
            } else if line.hasPrefix("| ") {
                if !line.hasPrefix("| \(Self.tableHeader[0]) |") { rows.append(line) }
            } else if line == "Problems:" {
                list = \.problems
            } else if line == "Notes:" {
                list = \.notes
            } else if let list, line.hasPrefix("- ") {
                self[keyPath: list].append(line)
            } else if let list, let last = self[keyPath: list].indices.last {
                self[keyPath: list][last] += "\n" + line
            }
        }
        problems = problems.map(Self.trimmingTrailingBlankLines)
        notes = notes.map(Self.trimmingTrailingBlankLines)
        if let legacySummary {
            let claimed = Set(runs.flatMap(\.suites))
            let unclaimed = SuiteName.allCases.filter { suite in
                !claimed.contains(suite) && rows.contains { Self.suite(of: $0) == suite }
            }
            if !unclaimed.isEmpty { runs.append(Run(suites: unclaimed, summary: legacySummary)) }
        }
    }

    private static func trimmingTrailingBlankLines(_ item: String) -> String {
        var lines = item.split(separator: "\n", omittingEmptySubsequences: false)
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
