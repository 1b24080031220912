import Foundation

/// The suites `wbuild-bench` knows.
enum SuiteName: String, Sendable, CaseIterable {
    case tree
    case watch
    case images
    case up
    case liveupdate
    case router
    case publish
    case swarm
}

/// The command line of `wbuild-bench`: which suites, which wbuild binary, how many samples.
struct BenchOptions: Sendable {
    var suites: [SuiteName] = SuiteName.allCases
    /// The `wbuild` executable measured (made absolute).
    var wbuild = ".build/release/wbuild"
    /// Tree sizes (files) for the tree suite.
    var treeSizes = [1_000, 10_000, 100_000]
    /// Samples per measure; `largeRuns` for trees of 100k files and more.
    var runs = 5
    var largeRuns = 3
    /// Files in the watch suite's tree.
    var watchFiles = 100_000
    /// File writes timed in the watch suite (≥ 50 for a meaningful p95).
    var writes = 50
    /// The settle window written into the watch project (`watch.settleMs`).
    var settleMs = 30
    /// Context sizes (files) for the images suite.
    var imageSizes = [1_000, 10_000]
    /// Edits timed through rebuild-and-replace in the up suite (≥ 10).
    var rebuildEdits = 10
    /// Edits timed per live-update mode in the liveupdate suite (≥ 20 for a p95).
    var liveEdits = 20
    /// First-publish samples in the publish suite (each gets two new empty registries).
    var publishRuns = 3
    /// Samples per side in the swarm suite (each deploys, no-ops, updates and removes shop).
    var swarmRuns = 2
    /// How long each wrk measurement of the router suite lasts.
    var routerSeconds = 5
    /// The connection counts the router suite measures at.
    var routerConnections = [1, 16, 64]
    /// The router suite's backend, compiled with `cc -static`.
    var backendSource = "Benchmarks/backend/bench-http.c"
    /// How long the idle-CPU window lasts.
    var idleSeconds = 10
    /// The event that says the watcher is set up, once the watch command emits one.
    var readyEvent = "watching"
    /// Where to write the results section (Benchmarks/README.md), if anywhere.
    var readme: String?
    /// The commit measured, for the report.
    var commit = "unknown"
    /// Keep the temporary trees (for debugging the benchmark).
    var keep = false
    /// Set when `wbuild` is not an executable file: suites then measure only the peers.
    var wbuildMissing: BenchError?

    static let usage = """
    usage: wbuild-bench [SUITE…] [options]
      suites: tree, watch, images, up, liveupdate, router, publish, swarm (default: all)
      --wbuild PATH        wbuild executable (default .build/release/wbuild)
      --sizes N,N,…        tree suite sizes in files (default 1000,10000,100000)
      --runs N             samples per measure (default 5; --large-runs for ≥ 100k files, default 3)
      --large-runs N
      --watch-files N      files in the watch suite's tree (default 100000)
      --writes N           timed writes in the watch suite (default 50)
      --settle-ms N        watch.settleMs of the watch project (default 30)
      --image-sizes N,N,…  images suite context sizes in files (default 1000,10000)
      --rebuild-edits N    edits timed through rebuild-and-replace in the up suite (default 10)
      --live-edits N       edits timed per live-update mode in the liveupdate suite (default 20)
      --publish-runs N     first-publish samples in the publish suite, each into new registries (default 3)
      --swarm-runs N       samples per side in the swarm suite (default 2)
      --router-seconds N   length of each wrk run in the router suite (default 5)
      --router-connections N,N,…  wrk connection counts in the router suite (default 1,16,64)
      --backend-source PATH  the router suite's backend (default Benchmarks/backend/bench-http.c)
      --idle-seconds N     idle CPU window (default 10)
      --ready-event NAME   JSON event type meaning "watching" (default watching)
      --readme PATH        write the results between the markers in PATH
      --commit SHA         commit to name in the report
      --keep               keep the temporary trees under /tmp
    """

    static func parse(_ arguments: [String]) throws(BenchError) -> BenchOptions {
        var options = BenchOptions()
        var suites: [SuiteName] = []
        var remaining = arguments[...]
        func value(_ flag: String) throws(BenchError) -> String {
            guard let next = remaining.popFirst() else { throw BenchError(.usage, "\(flag) needs a value", hint: usage) }
            return next
        }
        func number(_ flag: String) throws(BenchError) -> Int {
            let text = try value(flag)
            guard let parsed = Int(text), parsed > 0 else {
                throw BenchError(.usage, "\(flag) expects a positive whole number, got \(text)")
            }
            return parsed
        }
        while let argument = remaining.popFirst() {
            switch argument {
            case "--wbuild": options.wbuild = try value(argument)
            case "--sizes":
                let text = try value(argument)
                let sizes = text.split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
                guard !sizes.isEmpty else { throw BenchError(.usage, "--sizes expects N,N,…, got \(text)") }
                options.treeSizes = sizes
            case "--image-sizes":
                let text = try value(argument)
                let sizes = text.split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
                guard !sizes.isEmpty else { throw BenchError(.usage, "--image-sizes expects N,N,…, got \(text)") }
                options.imageSizes = sizes
            case "--publish-runs": options.publishRuns = try number(argument)
            case "--swarm-runs": options.swarmRuns = try number(argument)
            case "--router-seconds": options.routerSeconds = try number(argument)
            case "--router-connections":
                let text = try value(argument)
                let counts = text.split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
                guard !counts.isEmpty else { throw BenchError(.usage, "--router-connections expects N,N,…, got \(text)") }
                options.routerConnections = counts
            case "--backend-source": options.backendSource = try value(argument)
            case "--rebuild-edits": options.rebuildEdits = try number(argument)
            case "--live-edits": options.liveEdits = try number(argument)
            case "--runs": options.runs = try number(argument)
            case "--large-runs": options.largeRuns = try number(argument)
            case "--watch-files": options.watchFiles = try number(argument)
            case "--writes": options.writes = try number(argument)
            case "--settle-ms": options.settleMs = try number(argument)
            case "--idle-seconds": options.idleSeconds = try number(argument)
            case "--ready-event": options.readyEvent = try value(argument)
            case "--readme": options.readme = try value(argument)
            case "--commit": options.commit = try value(argument)
            case "--keep": options.keep = true
            case "-h", "--help": throw BenchError(.usage, usage)
            default:
                guard let suite = SuiteName(rawValue: argument) else {
                    throw BenchError(.usage, "unknown suite or option: \(argument)", hint: usage)
                }
                suites.append(suite)
            }
        }
        if !suites.isEmpty { options.suites = suites }
        if !options.backendSource.hasPrefix("/") {
            options.backendSource = FileManager.default.currentDirectoryPath + "/" + options.backendSource
        }
        if !options.wbuild.hasPrefix("/") {
            options.wbuild = FileManager.default.currentDirectoryPath + "/" + options.wbuild
        }
        if access(options.wbuild, X_OK) != 0 {
            options.wbuildMissing = BenchError(
                .commandFailed, "no executable wbuild at \(options.wbuild): \(String(cString: strerror(errno)))",
                hint: "build it with `swift build -c release --product wbuild` (scripts/bench.sh does), or pass --wbuild PATH;"
                    + " only the peers are measured")
        }
        return options
    }

    func runs(forFiles files: Int) -> Int { files >= 100_000 ? largeRuns : runs }
}
