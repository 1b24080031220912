// swift-tools-version:6.0
// wbuild: a file-watching build-graph engine for containerized workloads.
// No package dependencies: only what ships with the Swift toolchain.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "wbuild",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "WBuild", targets: ["WBuild"]),
        .executable(name: "wbuild", targets: ["wbuild"]),
    ],
    targets: [
        // Syscalls Glibc hides (pipe2, eventfd, posix_spawn chdir, WIFEXITED macros).
        .target(name: "CWBuildSystem"),
        // Errno, file descriptors, atomic files, processes: the syscall layer.
        .target(name: "WBuildSystem", dependencies: ["CWBuildSystem"], swiftSettings: strict),
        // Graph, fingerprints, scheduler, state store, events. Knows no other module but WBuildSystem.
        .target(name: "WBuildCore", dependencies: ["WBuildSystem"], swiftSettings: strict),
        // The glob and ignore-line syntax (compiler, tokens, dialects, path cleaning). Knows no other module.
        .target(name: "WBuildPatterns", swiftSettings: strict),
        // Globs, ignore rules, tree hashing with a stat cache.
        .target(name: "WBuildFiles", dependencies: ["WBuildCore", "WBuildPatterns", "WBuildSystem"], swiftSettings: strict),
        // The inotify watcher and the settle window.
        .target(name: "WBuildWatcher", dependencies: ["WBuildSystem", "CWBuildSystem"], swiftSettings: strict),
        // wbuild.json: JSON5 reader, typed model, validation, bindings; routes decode into WBuildRouter's rules.
        .target(name: "WBuildSpec", dependencies: ["WBuildPatterns", "WBuildRouter"], swiftSettings: strict),
        // Spec → Kubernetes, Helm, Terraform and Swarm files: pure, deterministic renderers and their YAML/JSON writers.
        .target(name: "WBuildRender", dependencies: ["WBuildSpec", "WBuildRouter"], swiftSettings: strict),
        // HTTP/1.1 over the engine socket, tar, Engine API calls.
        .target(name: "WBuildDocker", dependencies: ["WBuildSystem", "CWBuildSystem"], swiftSettings: strict),
        // Node kinds (task, image, …) and spec → graph.
        .target(name: "WBuildWorkloads",
                dependencies: ["WBuildCore", "WBuildFiles", "WBuildSpec", "WBuildDocker", "WBuildSystem", "WBuildWatcher", "WBuildRouter",
                               "WBuildRender"],
                swiftSettings: strict,
                plugins: ["SupervisorBuilder"]),
        // Links the static helpers (Sources/Supervisor/wbuild-init.c, Sources/Door/wbuild-door.c, Sources/Router/wbuild-router.c) with cc (resources of WBuildWorkloads).
        .plugin(name: "SupervisorBuilder", capability: .buildTool(), path: "Sources/SupervisorBuilder"),
        // Writes BuildInfo.swift (the VERSION file and the git commit) for `wbuild --version`.
        .plugin(name: "BuildInfoGenerator", capability: .buildTool(), path: "Sources/BuildInfoGenerator"),
        // Routes: the one matcher (host, element-wise prefix, exact, precedence) every rendering follows.
        .target(name: "WBuildRouter", swiftSettings: strict),
        // Public library facade.
        .target(name: "WBuild",
                dependencies: ["WBuildWorkloads", "WBuildCore", "WBuildSpec", "WBuildFiles", "WBuildWatcher", "WBuildDocker", "WBuildSystem",
                               "WBuildRouter", "WBuildRender"],
                swiftSettings: strict),
        // Command line.
        // Release: the Swift runtime and Foundation linked statically, which halves process start
        // (`wbuild --version` 12.7 → 7.0 ms; Benchmarks/README.md). `-static-stdlib` alone leaves
        // static Foundation's own libraries unlinked, hence the list (Swift 6.3's layout). Linux
        // only: Darwin has no static Swift runtime.
        .executableTarget(name: "wbuild", dependencies: ["WBuild", "WBuildSystem"], swiftSettings: strict,
                          linkerSettings: [
                              .unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release)),
                              .linkedLibrary("CoreFoundation", .when(platforms: [.linux], configuration: .release)),
                              .linkedLibrary("_FoundationICU", .when(platforms: [.linux], configuration: .release)),
                              .linkedLibrary("_FoundationCShims", .when(platforms: [.linux], configuration: .release)),
                              .linkedLibrary("_FoundationCollections", .when(platforms: [.linux], configuration: .release)),
                              .linkedLibrary("FoundationEssentials", .when(platforms: [.linux], configuration: .release)),
                              .linkedLibrary("FoundationInternationalization", .when(platforms: [.linux], configuration: .release)),
                              .linkedLibrary("stdc++", .when(platforms: [.linux], configuration: .release)),
                          ],
                          plugins: ["BuildInfoGenerator"]),
        // Benchmarks (run with scripts/bench).
        .executableTarget(name: "wbuild-bench", dependencies: ["WBuildCore", "WBuildFiles", "WBuildSystem"],
                          path: "Benchmarks/WBuildBench", swiftSettings: strict),

        .target(name: "WBuildTestSupport", dependencies: ["WBuildSystem"], path: "Tests/WBuildTestSupport", swiftSettings: strict),
        .testTarget(name: "WBuildSystemTests", dependencies: ["WBuildSystem", "WBuildTestSupport"], swiftSettings: strict),
        .testTarget(name: "WBuildCoreTests", dependencies: ["WBuildCore", "WBuildTestSupport"], swiftSettings: strict),
        .testTarget(name: "WBuildFilesTests", dependencies: ["WBuildFiles", "WBuildCore", "WBuildTestSupport"], swiftSettings: strict),
        .testTarget(name: "WBuildWatcherTests", dependencies: ["WBuildWatcher", "WBuildTestSupport"], swiftSettings: strict),
        .testTarget(name: "WBuildSpecTests", dependencies: ["WBuildSpec", "WBuildRouter", "WBuildTestSupport"], swiftSettings: strict),
        .testTarget(name: "WBuildDockerTests", dependencies: ["WBuildDocker", "WBuildTestSupport"], swiftSettings: strict),
        .testTarget(name: "WBuildWorkloadsTests", dependencies: ["WBuildWorkloads", "WBuild", "WBuildTestSupport"], swiftSettings: strict),
        .testTarget(name: "WBuildBenchTests", dependencies: ["wbuild-bench"], swiftSettings: strict),
        // The command line's argument parsing and option conversions (the executable, @testable).
        .testTarget(name: "WBuildCLITests", dependencies: ["wbuild", "WBuildTestSupport"], swiftSettings: strict),
        // Golden/: the reviewed renderings of Samples/shop (GoldenFilesTests).
        .testTarget(name: "WBuildRenderTests", dependencies: ["WBuildRender", "WBuildSpec", "WBuildRouter", "WBuildTestSupport"],
                    exclude: ["Golden"], swiftSettings: strict),
        .testTarget(name: "WBuildRouterTests", dependencies: ["WBuildRouter"], swiftSettings: strict),
        // wbuild-router run on the host on loopback in front of test backends (the unit tier: fast, no engine).
        .testTarget(name: "RouterProxyTests", dependencies: ["WBuildWorkloads", "WBuildRouter", "WBuildSystem", "WBuildTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "EndToEndTests", dependencies: ["WBuildTestSupport"], swiftSettings: strict),
    ]
)
