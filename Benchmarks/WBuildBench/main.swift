import Foundation

// wbuild-bench: measures the `wbuild` binary from outside, against peers and floors timed in
// the same run, and prints ratios beside the goals. Run it through scripts/bench.sh.

let options: BenchOptions
do {
    options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data((error.description + "\n").utf8))
    exit(error.code == .usage && error.message == BenchOptions.usage ? 0 : 2)
}

let workspace: BenchDirectory
do {
    workspace = try BenchDirectory.create()
} catch {
    FileHandle.standardError.write(Data(("wbuild-bench: " + error.description + "\n").utf8))
    exit(1)
}

/// Runs the chosen suites in order, each adding its rows and problems to one report.
func runSuites(_ options: BenchOptions, in workspace: BenchDirectory) async -> Report {
    var report = Report()
    if let missing = options.wbuildMissing { report.problem(missing) }
    for suite in options.suites {
        switch suite {
        case .tree: await TreeSuite(options: options, workspace: workspace).run(into: &report)
        case .watch: await WatchSuite(options: options, workspace: workspace).run(into: &report)
        case .images: await ImagesSuite(options: options, workspace: workspace).run(into: &report)
        case .up: await UpSuite(options: options, workspace: workspace).run(into: &report)
        case .liveupdate: await LiveUpdateSuite(options: options, workspace: workspace).run(into: &report)
        case .router: await RouterSuite(options: options, workspace: workspace).run(into: &report)
        case .publish: await PublishSuite(options: options, workspace: workspace).run(into: &report)
        case .swarm: await SwarmSuite(options: options, workspace: workspace).run(into: &report)
        }
    }
    return report
}

var report = await runSuites(options, in: workspace)
if options.keep {
    report.notes.append("trees kept in \(workspace.path)")
} else {
    workspace.remove()
}

let context = Machine.context(commit: options.commit, wbuild: options.wbuild.replacingOccurrences(
    of: FileManager.default.currentDirectoryPath + "/", with: ""))
print(report.terminalText(context: context))
if let readme = options.readme {
    do {
        try ReadmeUpdater.write(report.resultsSection(context: context, suites: options.suites), to: readme)
        print("\nresults written to \(readme)")
    } catch {
        FileHandle.standardError.write(Data(("wbuild-bench: " + error.description + "\n").utf8))
        exit(1)
    }
}
exit(report.problems.isEmpty ? 0 : 1)
