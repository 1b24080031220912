import Testing
import WBuildFiles
import WBuildSpec
@testable import WBuildWorkloads

@Suite("LiveUpdatePlanner")
struct LiveUpdatePlannerTests {
    let target = LiveUpdateTarget(projectRoot: "/p", buildContext: "api", dockerfile: "api/Dockerfile")
    let rules = LiveUpdateSpec(
        fallBackOn: ["api/deps.txt"],
        sync: [SyncRule(from: "api/src", to: "/app/src"), SyncRule(from: "api/deps.txt", to: "/app/deps.txt")],
        run: [RunStep(command: .shell("install-deps"), trigger: ["api/lock/**"]),
              RunStep(command: .argv(["/app/compile"]))],
        restart: .process)

    func decide(_ files: [ChangedFile], rules: LiveUpdateSpec? = nil, target: LiveUpdateTarget? = nil,
                running: Bool = true) throws -> LiveUpdateDecision {
        try LiveUpdatePlanner.plan(rules: rules ?? self.rules, target: target ?? self.target,
                                   changedFiles: files, containerRunning: running)
    }

    func plan(_ files: [ChangedFile], rules: LiveUpdateSpec? = nil, target: LiveUpdateTarget? = nil) throws -> LiveUpdatePlan {
        let decision = try decide(files, rules: rules, target: target)
        guard case .apply(let plan) = decision else {
            Issue.record("expected a plan, got \(decision)")
            return LiveUpdatePlan()
        }
        return plan
    }

    @Test func mapsAChangedPathUnderASyncRuleToItsContainerPath() throws {
        let plan = try plan([ChangedFile(path: "api/src/main.js", exists: true)])
        #expect(plan.paths == [SyncPath(projectPath: "api/src/main.js", hostPath: "/p/api/src/main.js",
                                        containerPath: "/app/src/main.js", levelsBelowRule: 1)])
        #expect(plan.restart == .process)
    }

    @Test func aPathTheEventCalledDeletedIsStillOnlyAPathToCheckAtApplyTime() throws {
        let plan = try plan([ChangedFile(path: "api/src/old.js", exists: false),
                             ChangedFile(path: "api/src/lib", exists: false)])
        #expect(plan.paths.map(\.containerPath) == ["/app/src/old.js", "/app/src/lib"])
    }

    @Test func theSyncRootItselfMapsToItsTarget() throws {
        let plan = try plan([ChangedFile(path: "api/src", exists: false)])
        #expect(plan.paths.map(\.containerPath) == ["/app/src"])
    }

    @Test func theLongestMatchingFromWins() throws {
        let rules = LiveUpdateSpec(sync: [SyncRule(from: "api", to: "/app"), SyncRule(from: "api/static", to: "/srv/www")])
        let plan = try plan([ChangedFile(path: "api/static/index.html", exists: true),
                             ChangedFile(path: "api/server.js", exists: true)], rules: rules)
        #expect(plan.paths.map(\.containerPath) == ["/srv/www/index.html", "/app/server.js"])
    }

    @Test func aSiblingWithTheSamePrefixIsNotUnderTheRule() throws {
        let decision = try decide([ChangedFile(path: "api/srcfoo/x.js", exists: true)])
        #expect(decision == .rebuild(reason: "api/srcfoo/x.js is in the build context but no sync rule covers it"))
    }

    @Test func pathsAreCleanedBeforeMatching() throws {
        let rules = LiveUpdateSpec(sync: [SyncRule(from: "./api/src/", to: "/app/src/")])
        let plan = try plan([ChangedFile(path: "api//src/./a.js", exists: true)], rules: rules)
        #expect(plan.paths.map(\.containerPath) == ["/app/src/a.js"])
    }

    @Test func rebuildsWhenAFileMatchesFallBackOnEvenIfSynced() throws {
        let decision = try decide([ChangedFile(path: "api/src/a.js", exists: true),
                                   ChangedFile(path: "api/deps.txt", exists: true)])
        #expect(decision == .rebuild(reason: "api/deps.txt matches fallBackOn \"api/deps.txt\""))
    }

    @Test func fallBackOnADirectoryCoversEverythingBelowIt() throws {
        let rules = LiveUpdateSpec(fallBackOn: ["api/src/gen"], sync: [SyncRule(from: "api/src", to: "/app/src")])
        let decision = try decide([ChangedFile(path: "api/src/gen/x.js", exists: false)], rules: rules)
        #expect(decision == .rebuild(reason: "api/src/gen/x.js matches fallBackOn \"api/src/gen\""))
    }

    @Test func rebuildsWhenAContextFileIsUnderNoSyncRule() throws {
        let decision = try decide([ChangedFile(path: "api/package.json", exists: true)])
        #expect(decision == .rebuild(reason: "api/package.json is in the build context but no sync rule covers it"))
    }

    @Test func rebuildsWhenTheDockerfileChangesEvenIfASyncRuleCoversIt() throws {
        let rules = LiveUpdateSpec(sync: [SyncRule(from: "api", to: "/app")])
        let decision = try decide([ChangedFile(path: "api/Dockerfile", exists: true)], rules: rules)
        #expect(decision == .rebuild(reason: "api/Dockerfile is the image's Dockerfile"))
    }

    @Test func rebuildsWhenTheContainerIsNotRunning() throws {
        let decision = try decide([ChangedFile(path: "api/src/a.js", exists: true)], running: false)
        #expect(decision == .rebuild(reason: "the container is not running, so there is nothing to update in place"))
    }

    @Test func dockerignoredContextFilesNeitherSyncNorRebuild() throws {
        let target = LiveUpdateTarget(projectRoot: "/p", buildContext: "api", dockerfile: "api/Dockerfile",
                                      contextIgnores: try IgnoreRules(patterns: ["*.log"]))
        let plan = try plan([ChangedFile(path: "api/debug.log", exists: true)], target: target)
        #expect(plan.isEmpty)
        #expect(plan.restart == .none)
    }

    @Test func filesOutsideTheContextAndUnsyncedAreIgnored() throws {
        let plan = try plan([ChangedFile(path: "web/index.html", exists: true)])
        #expect(plan.isEmpty)
    }

    @Test func aPulledImageHasNoContextSoUnsyncedFilesNeverRebuild() throws {
        let target = LiveUpdateTarget(projectRoot: "/p")
        let plan = try plan([ChangedFile(path: "api/package.json", exists: true),
                             ChangedFile(path: "api/src/a.js", exists: true)], target: target)
        #expect(plan.paths.map(\.projectPath) == ["api/src/a.js"])
    }

    @Test func untriggeredStepsRunWhenFilesSyncAndTriggeredOnlyOnAMatch() throws {
        let rules = LiveUpdateSpec(
            sync: [SyncRule(from: "api", to: "/app")],
            run: [RunStep(command: .shell("install-deps"), trigger: ["api/lock/**"]),
                  RunStep(command: .argv(["/app/compile"]))])
        let plain = try plan([ChangedFile(path: "api/src/a.js", exists: true)], rules: rules)
        #expect(plain.steps == [RunStep(command: .argv(["/app/compile"]))])
        let triggered = try plan([ChangedFile(path: "api/lock/deps.lock", exists: true)], rules: rules)
        #expect(triggered.steps == rules.run)
    }

    @Test func nothingRunsWhenNoChangedFileConcernsTheWorkload() throws {
        let plan = try plan([ChangedFile(path: "docs/readme.md", exists: true)])
        #expect(plan == LiveUpdatePlan())
    }

    @Test func aFileChangedTwiceInABatchIsCopiedOnce() throws {
        let plan = try plan([ChangedFile(path: "api/src/a.js", exists: true), ChangedFile(path: "api/src/a.js", exists: true)])
        #expect(plan.paths.count == 1)
    }

    @Test func theRestartOfTheRulesIsKept() throws {
        var rules = self.rules
        rules.restart = .container
        #expect(try plan([ChangedFile(path: "api/src/a.js", exists: true)], rules: rules).restart == .container)
    }

    @Test func aMalformedGlobIsAnErrorNamingTheKey() {
        let rules = LiveUpdateSpec(fallBackOn: ["api/[x"])
        #expect {
            _ = try LiveUpdatePlanner(rules: rules, target: target)
        } throws: { error in
            guard let error = error as? LiveUpdateError else { return false }
            return error.code == .invalidRules && error.message.contains("liveUpdate.fallBackOn")
        }
    }
}
