import Foundation

/// The results section of Benchmarks/README.md (between its markers), in parts: a line per
/// run that still has figures in it, the table rows, the problems and the notes. A run of some
/// suites merges into the section already there (`merging`), so the figures of the suites
/// that did not run stay, each group of rows under the line of the run it comes from.
///
/// Rows, problems and notes belong to the suite their first word names (`| tree 1k | …`,
/// `- liveupdate sync: …`); the `start` row comes with the tree suite, which measures it.
/// Items naming no suite (`- trees kept in …`) belong to the run that wrote them and are
/// replaced by the next run's.
struct ResultsSection: Equatable, Sendable {
    /// One run: the suites whose figures it left in the section, and where and when it ran.
    struct Run: Equatable, Sendable {
        var suites: [SuiteName]
        /// `MachineContext.summary`: date, machine, load, commit, wbuild.
        var summary: String

        static let prefix = "Latest run of "

        var line: String { Self.prefix + suites.map(\.rawValue).joined(separator: ", ") + ": " + summary }

        /// `Latest run of tree, watch: <summary>`; `nil` for any other line.
        init?(line: String) {
            guard line.hasPrefix(Self.prefix), let colon = line.range(of: ": ") else { return nil }
            let names = line[line.index(line.startIndex, offsetBy: Self.prefix.count)..<colon.lowerBound]
            let suites = names.split(separator: ",").compactMap { SuiteName(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
            guard !suites.isEmpty else { return nil }
            self.init(suites: suites, summary: String(line[colon.upperBound...]))
        }

        init(suites: [SuiteName], summary: String) {
            self.suites = suites
            self.summary = summary
        }
    }

    static let tableHeader = ["suite", "measure", "wbuild", "peer / floor", "ratio", "goal", "met"]

    /// Newest first.
    var runs: [Run] = []
    /// Markdown table rows (`| tree 1k | … |`), without the header.
    var rows: [String] = []
    /// Markdown list items (`- …`), each with its indented continuation lines.
    var problems: [String] = []
    var notes: [String] = []

    /// The suite an item or row belongs to, by its first word.
    static func suite(of item: String) -> SuiteName? {
        let text = item.drop(while: { $0 == "|" || $0 == "-" || $0 == " " })
        let word = String(text.prefix(while: { $0.isLetter }))
        return word == "start" ? .tree : SuiteName(rawValue: word)
    }

    /// This section with `latest` merged in: the runs, rows, problems and notes of the suites
    /// `latest` ran are `latest`'s; those of the other suites stay. Rows and items keep the
    /// suites' canonical order (`SuiteName.allCases`), those naming no suite come last.
    func merging(_ latest: ResultsSection) -> ResultsSection {
        let ran = Set(latest.runs.flatMap(\.suites))
        func kept(_ items: [String]) -> [String] {
            items.filter { item in Self.suite(of: item).map { !ran.contains($0) } ?? false }
        }
        let earlier = runs.compactMap { run -> Run? in
            let left = run.suites.filter { !ran.contains($0) }
            return left.isEmpty ? nil : Run(suites: left, summary: run.summary)
        }
        return ResultsSection(runs: latest.runs + earlier,
                              rows: Self.inSuiteOrder(latest.rows + kept(rows)),
                              problems: Self.inSuiteOrder(latest.problems + kept(problems)),
                              notes: Self.inSuiteOrder(latest.notes + kept(notes)))
    }

    /// Stable: within a suite, items keep their order.
    private static func inSuiteOrder(_ items: [String]) -> [String] {
        func rank(_ item: String) -> Int {
            suite(of: item).flatMap { SuiteName.allCases.firstIndex(of: $0) } ?? SuiteName.allCases.count
        }
        return items.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }
}
