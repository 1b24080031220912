import Foundation

/// What a measured figure should be, to print beside it.
enum Goal: Sendable {
    /// wbuild ÷ peer at most this.
    case ratioAtMost(Double)
    /// wbuild ÷ peer at least this (throughput).
    case ratioAtLeast(Double)
    /// wbuild − peer at most this (in the row's unit): what wbuild adds over the peer.
    case addedAtMost(Double)
    /// The figure itself at most this (in the row's unit).
    case atMost(Double)
    /// The figure itself strictly below this.
    case below(Double)
    /// Context only.
    case none
}

/// The unit of a row's figures.
enum FigureUnit: String, Sendable {
    case milliseconds = "ms"
    case megabytes = "MB"
    case percent = "%"
    case requestsPerSecond = "req/s"
    /// A count of failed requests, printed whole.
    case errors = "errors"
}

/// One line of the results table: a wbuild figure, the peer or floor measured in the same
/// run (if any), their ratio, and the goal.
struct ReportRow: Sendable {
    var suite: String
    var measure: String
    var unit: FigureUnit
    /// `nil` when wbuild could not be measured (see the report's problems).
    var wbuild: Double?
    var peerName: String?
    var peer: Double?
    var goal: Goal = .none

    var ratio: Double? {
        guard let wbuild, let peer, peer > 0 else { return nil }
        return wbuild / peer
    }

    /// wbuild − peer, when both were measured.
    var added: Double? {
        guard let wbuild, let peer else { return nil }
        return wbuild - peer
    }

    /// `true`/`false` when the goal could be judged, `nil` when not (no goal, or no figure).
    var goalMet: Bool? {
        switch goal {
        case .ratioAtMost(let limit): return ratio.map { $0 <= limit }
        case .ratioAtLeast(let limit): return ratio.map { $0 >= limit }
        case .addedAtMost(let limit): return added.map { $0 <= limit }
        case .atMost(let limit): return wbuild.map { $0 <= limit }
        case .below(let limit): return wbuild.map { $0 < limit }
        case .none: return nil
        }
    }

    var goalText: String {
        switch goal {
        case .ratioAtMost(let limit): return "≤ \(Report.format(limit))× \(peerName ?? "peer")"
        case .ratioAtLeast(let limit): return "≥ \(Report.format(limit))× \(peerName ?? "peer")"
        case .addedAtMost(let limit): return "≤ +\(Report.format(limit)) \(unit.rawValue) over \(peerName ?? "peer")"
        case .atMost(let limit) where unit == .errors: return "≤ \(Int(limit.rounded())) \(unit.rawValue)"
        case .atMost(let limit): return "≤ \(Report.format(limit)) \(unit.rawValue)"
        case .below(let limit): return "< \(Report.format(limit)) \(unit.rawValue)"
        case .none: return ""
        }
    }
}

/// Where and when the figures were taken.
struct MachineContext: Sendable {
    var date: String
    var processors: Int
    var memoryMegabytes: Int
    var commit: String
    var kernel: String
    /// The wbuild executable measured.
    var wbuild: String
    /// /proc/loadavg's 1, 5 and 15 minute figures at the end of the run: a busy machine
    /// widens the spread of both columns.
    var loadAverage: String

    var summary: String {
        "\(date) · \(processors) CPUs · \(memoryMegabytes) MB RAM · load \(loadAverage) · Linux \(kernel)"
            + " · commit \(commit) · \(wbuild)"
    }
}

/// Everything one run of the benchmark found: the table rows, and the problems that kept a
/// figure from being measured (which command, its exit, its stderr) or that make a figure
/// suspect (a "no-op" that rebuilt).
struct Report: Sendable {
    var rows: [ReportRow] = []
    var problems: [BenchError] = []
    var notes: [String] = []

    mutating func add(_ row: ReportRow) { rows.append(row) }
    mutating func problem(_ error: BenchError) { problems.append(error) }
    /// A figure that was measured but may not mean what its row says.
    mutating func suspect(_ text: String) { problems.append(BenchError(.suspectFigure, text)) }

    static func format(_ value: Double) -> String {
        if value >= 100 { return String(format: "%.0f", value) }
        if value >= 10 { return String(format: "%.1f", value) }
        if value > 0, value < 0.1 { return String(format: "%.3f", value) }
        return String(format: "%.2f", value)
    }

    private static let header = ResultsSection.tableHeader

    private func cells(_ row: ReportRow) -> [String] {
        let unit = row.unit.rawValue
        func figure(_ value: Double) -> String { row.unit == .errors ? "\(Int(value.rounded()))" : Self.format(value) }
        let wbuild = row.wbuild.map { "\(figure($0)) \(unit)" } ?? "failed"
        let peer = row.peer.map { "\(figure($0)) \(unit) \(row.peerName ?? "")" } ?? (row.peerName.map { "— \($0)" } ?? "")
        var ratio = row.ratio.map { Self.format($0) + "×" } ?? ""
        if case .addedAtMost = row.goal {
            ratio = row.added.map { ($0 < 0 ? "−" : "+") + Self.format(abs($0)) + " " + unit } ?? ""
        } else if row.unit == .errors {
            ratio = ""
        }
        let met = row.goalMet.map { $0 ? "yes" : "NO" } ?? (row.goalText.isEmpty ? "" : "—")
        return [row.suite, row.measure, wbuild, peer, ratio, row.goalText, met]
    }

    /// An aligned plain-text table for the terminal, then problems and notes.
    func terminalText(context: MachineContext) -> String {
        let table = [Self.header] + rows.map(cells)
        let widths = Self.header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        var lines = ["wbuild benchmarks — \(context.summary)", ""]
        for (index, row) in table.enumerated() {
            lines.append(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  "))
            if index == 0 { lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        if !problems.isEmpty {
            lines += ["", "Problems:"] + problems.map { "  • " + $0.description }
        }
        if !notes.isEmpty {
            lines += ["", "Notes:"] + notes.map { "  • " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// The same as the results section of Benchmarks/README.md: one run, of `suites`.
    func resultsSection(context: MachineContext, suites: [SuiteName]) -> ResultsSection {
        ResultsSection(runs: [ResultsSection.Run(suites: suites, summary: context.summary)],
                       rows: rows.map { row in
                           "| " + cells(row).map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
                       },
                       problems: problems.map(Self.markdownItem),
                       notes: notes.map { "- " + $0 })
    }

    /// "- message", the command's output in a fenced block, then the hint.
    private static func markdownItem(_ problem: BenchError) -> String {
        var item = "- " + problem.message
        if let detail = problem.detail, !detail.isEmpty {
            item += "\n\n  ```\n" + detail.split(separator: "\n", omittingEmptySubsequences: false)
                .map { "  " + $0 }.joined(separator: "\n") + "\n  ```"
        }
        if let hint = problem.hint { item += "\n\n  → " + hint }
        return item
    }
}
