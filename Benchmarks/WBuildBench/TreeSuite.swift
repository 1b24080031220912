import Foundation
import WBuildSystem

/// Issue 2: `wbuild once` on trees of 1k, 10k and 100k files, against git and sha256sum on
/// the same tree in the same run.
///
/// - no-op `once` (state recorded, nothing changed) vs `git status --porcelain` with a warm
///   index: both answer "what changed?" from stat data. Goal: ≤ 2×.
/// - cold `once` (`.wbuild/` deleted; page cache warm) vs
///   `find src -type f -print0 | xargs -0 sha256sum`: both must read and hash every byte.
///   Goal: ≤ 1.5×.
///
/// Samples are interleaved (cold, no-op, git, sha256sum, then again) so a machine that gets
/// busier during the run slows all four alike.
struct TreeSuite {
    var options: BenchOptions
    var workspace: BenchDirectory

    static let gitStatus = ProcessCommand.argv(["git", "status", "--porcelain"])
    static let hashAll = ProcessCommand.shell("find src -type f -print0 | xargs -0 sha256sum > /dev/null")

    func run(into report: inout Report) async {
        if options.wbuildMissing == nil {
            do {
                try await measureStartup(into: &report)
            } catch {
                report.problem(error)
            }
        }
        for files in options.treeSizes {
            do {
                try await measure(files: files, into: &report)
            } catch {
                report.problem(error)
            }
        }
    }

    /// The fixed cost every `once` pays, to read small trees' ratios by: `wbuild --version`
    /// beside `git --version`.
    private func measureStartup(into report: inout Report) async throws(BenchError) {
        let directory = workspace.path
        let wbuildVersion = ProcessCommand.argv([options.wbuild, "--version"])
        let gitVersion = ProcessCommand.argv(["git", "--version"])
        try await ProcessTimer.runChecked(wbuildVersion, in: directory)
        try await ProcessTimer.runChecked(gitVersion, in: directory)
        var wbuild = Samples(), git = Samples()
        for _ in 0..<max(options.runs, 5) {
            wbuild.append(try await ProcessTimer.runChecked(wbuildVersion, in: directory).milliseconds)
            git.append(try await ProcessTimer.runChecked(gitVersion, in: directory).milliseconds)
        }
        report.add(ReportRow(suite: "start", measure: "process start: --version (median)", unit: .milliseconds,
                             wbuild: wbuild.median, peerName: "git --version", peer: git.median))
    }

    private func measure(files: Int, into report: inout Report) async throws(BenchError) {
        let label = "tree \(Self.label(files))"
        let root = try workspace.subdirectory("tree-\(files)")
        defer { if !options.keep { try? FileManager.default.removeItem(atPath: root) } }
        Progress.say("\(label): generating \(files) files")
        let bytes = try TreeGenerator.generate(TreeShape(files: files), at: root)
        try ProjectFile.writeTree(at: root)
        Progress.say("\(label): \(bytes / 1_048_576) MB; git init, add, commit")
        try await GitRepository.commitAll(at: root)

        let wbuildOnce = ProcessCommand.argv([options.wbuild, "once", "--json", "-f", "wbuild.json"])
        // Untimed warm-ups: page cache, git index, the binaries themselves.
        try await ProcessTimer.runChecked(Self.gitStatus, in: root)
        try await ProcessTimer.runChecked(Self.hashAll, in: root)
        var wbuildError: BenchError? = options.wbuildMissing
        if wbuildError == nil {
            do {
                try await runOnce(wbuildOnce, in: root, cold: true)
            } catch {
                wbuildError = error
                report.problem(error)
            }
        }

        var cold = Samples(), noop = Samples(), git = Samples(), hash = Samples()
        var coldReported = Samples(), noopReported = Samples()
        let runs = options.runs(forFiles: files)
        for sample in 1...runs {
            Progress.say("\(label): sample \(sample)/\(runs)")
            if wbuildError == nil {
                do {
                    let first = try await runOnce(wbuildOnce, in: root, cold: true)
                    cold.append(first.run.milliseconds)
                    let again = try await runOnce(wbuildOnce, in: root, cold: false)
                    noop.append(again.run.milliseconds)
                    first.result.milliseconds.map { coldReported.append($0) }
                    again.result.milliseconds.map { noopReported.append($0) }
                    if sample == 1 {
                        checkPass(cold: first.result, noop: again.result, label: label, into: &report)
                    }
                } catch {
                    wbuildError = error
                    report.problem(error)
                }
            }
            git.append(try await ProcessTimer.runChecked(Self.gitStatus, in: root).milliseconds)
            hash.append(try await ProcessTimer.runChecked(Self.hashAll, in: root).milliseconds)
        }
        let failed = wbuildError != nil
        if !failed, let coldPass = coldReported.median, let noopPass = noopReported.median {
            report.notes.append("\(label): the pass itself, as wbuild's result `ms` reports it (medians): cold "
                                + "\(Report.format(coldPass)) ms, no-op \(Report.format(noopPass)) ms; the rest of the wall time"
                                + " is process start, reading the project file, writing state and exit")
        }
        report.add(ReportRow(suite: label, measure: "no-op once (median of \(runs))", unit: .milliseconds,
                             wbuild: failed ? nil : noop.median, peerName: "git status", peer: git.median,
                             goal: .ratioAtMost(2)))
        report.add(ReportRow(suite: label, measure: "cold once (median of \(runs))", unit: .milliseconds,
                             wbuild: failed ? nil : cold.median, peerName: "sha256sum", peer: hash.median,
                             goal: .ratioAtMost(1.5)))
    }

    /// Runs `wbuild once --json`; with `cold`, after deleting `.wbuild/` so nothing is
    /// recorded. Throws unless it exits 0 with an `ok` result object: timing a command that
    /// did not make a pass would give a figure that means nothing.
    @discardableResult
    private func runOnce(_ command: ProcessCommand, in root: String,
                         cold: Bool) async throws(BenchError) -> (run: TimedRun, result: OnceResult) {
        if cold { try? FileManager.default.removeItem(atPath: root + "/.wbuild") }
        let run = try await ProcessTimer.run(command, in: root)
        let which = "`wbuild once --json` (\(cold ? "cold" : "no-op")) in \(root)"
        let hint = "the tree suite needs a working `wbuild once --json`; its wbuild figures are left out"
        guard run.status.isSuccess else {
            throw BenchError(.commandFailed, "\(which) ended with \(run.status)", detail: run.failureText, hint: hint)
        }
        guard let result = OnceResult(run) else {
            throw BenchError(.commandFailed, "\(which) exited 0 but printed no {\"type\":\"result\"} line",
                             detail: run.outputText, hint: hint)
        }
        guard result.ok else {
            throw BenchError(.commandFailed, "\(which) reported ok: false (\(result.summary))", detail: run.outputText, hint: hint)
        }
        return (run, result)
    }

    /// Flags figures that are not what their rows say: a cold run that built nothing, a
    /// no-op run that built something.
    private func checkPass(cold: OnceResult, noop: OnceResult, label: String, into report: inout Report) {
        if (cold.statuses["built"] ?? 0) == 0 {
            report.suspect("\(label): the cold `wbuild once` built nothing (\(cold.summary)); is state kept outside .wbuild/?")
        }
        if (noop.statuses["built"] ?? 0) > 0 {
            report.suspect("\(label): the no-op `wbuild once` ran nodes (\(noop.summary)); its figure is not a no-op")
        }
    }

    static func label(_ files: Int) -> String {
        files % 1000 == 0 ? "\(files / 1000)k" : "\(files)"
    }
}
