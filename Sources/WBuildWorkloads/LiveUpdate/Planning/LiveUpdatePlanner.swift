import WBuildFiles
import WBuildSpec

/// Decides, as a pure function of a workload's `liveUpdate` rules and a batch of changed files,
/// whether the running containers can be brought up to date in place (and how) or the image must
/// be rebuilt (and why). Compile once per rule set; `plan` touches no file and no container.
///
/// A batch rebuilds when any changed file
/// - matches a `fallBackOn` glob,
/// - is the image's Dockerfile,
/// - is inside the build context (and not `.dockerignore`d) but under no `sync` rule,
/// or when the container is not running. Otherwise each changed path under a `sync` rule (the
/// rule with the longest `from` wins) is to be brought up to date (what that means — write,
/// directory, link or remove — is decided from the host when the plan is applied); steps run
/// when they have no trigger or a changed file matches one; and the rules' restart applies.
public struct LiveUpdatePlanner: Sendable {
    public let rules: LiveUpdateSpec
    public let target: LiveUpdateTarget
    private let fallBackOn: [Glob]
    private let triggers: [[Glob]]
    /// The sync rules with cleaned `from`, longest `from` first.
    private let syncRules: [SyncRule]

    /// Compiles the rules' globs; throws `LiveUpdateError.invalidRules` naming the bad pattern.
    public init(rules: LiveUpdateSpec, target: LiveUpdateTarget) throws(LiveUpdateError) {
        self.rules = rules
        self.target = target
        fallBackOn = try Self.compile(rules.fallBackOn, key: "fallBackOn")
        var triggers: [[Glob]] = []
        for (index, step) in rules.run.enumerated() {
            triggers.append(try Self.compile(step.trigger, key: "run[\(index)].trigger"))
        }
        self.triggers = triggers
        // The spec refuses these; a planner made from other input refuses them too, since a
        // removed sync root there would be the container's whole file system.
        for (index, rule) in rules.sync.enumerated() where ProjectPath.clean(rule.to).isEmpty {
            throw LiveUpdateError(.invalidRules, "liveUpdate.sync[\(index)].to is the container's root \"\(rule.to)\"",
                                  hint: "sync into a directory of its own, e.g. \"/app\"")
        }
        syncRules = rules.sync
            .map { SyncRule(from: ProjectPath.clean($0.from), to: $0.to) }
            .sorted { $0.from.count > $1.from.count }
    }

    /// One-shot form of `init` + `plan(changedFiles:containerRunning:)`.
    public static func plan(rules: LiveUpdateSpec, target: LiveUpdateTarget, changedFiles: [ChangedFile],
                            containerRunning: Bool) throws(LiveUpdateError) -> LiveUpdateDecision {
        try LiveUpdatePlanner(rules: rules, target: target).plan(changedFiles: changedFiles, containerRunning: containerRunning)
    }

    /// The decision for one settled batch of changes.
    public func plan(changedFiles: [ChangedFile], containerRunning: Bool) -> LiveUpdateDecision {
        var plan = LiveUpdatePlan()
        var seen = Set<String>()
        for file in changedFiles where seen.insert(file.path).inserted {
            if let glob = fallBackOn.first(where: { $0.matchesOrContains(file.path) }) {
                return .rebuild(reason: "\(file.path) matches fallBackOn \"\(glob.pattern)\"")
            }
            if let dockerfile = target.dockerfile, file.path == dockerfile {
                return .rebuild(reason: "\(file.path) is the image's Dockerfile")
            }
            guard let (containerPath, levels) = destination(of: file.path) else {
                if target.isInBuildContext(file.path) {
                    return .rebuild(reason: "\(file.path) is in the build context but no sync rule covers it")
                }
                continue
            }
            plan.paths.append(SyncPath(projectPath: file.path, hostPath: target.hostPath(file.path),
                                       containerPath: containerPath, levelsBelowRule: levels))
        }
        let synced = !plan.paths.isEmpty
        for (step, globs) in zip(rules.run, triggers) {
            let triggered = globs.isEmpty
                ? synced
                : changedFiles.contains { file in globs.contains { $0.matchesOrContains(file.path) } }
            if triggered { plan.steps.append(step) }
        }
        guard !plan.isEmpty else { return .apply(LiveUpdatePlan()) }
        guard containerRunning else {
            return .rebuild(reason: "the container is not running, so there is nothing to update in place")
        }
        plan.restart = rules.restart
        return .apply(plan)
    }

    /// Where `path` goes in the container, by the sync rule covering it (longest `from` first),
    /// and how many components it is below the rule's `from`.
    private func destination(of path: String) -> (String, Int)? {
        for rule in syncRules {
            if let inside = ProjectPath.relative(path, below: rule.from) {
                return (ProjectPath.join(rule.to, inside), inside.split(separator: "/").count)
            }
        }
        return nil
    }

    private static func compile(_ patterns: [String], key: String) throws(LiveUpdateError) -> [Glob] {
        var globs: [Glob] = []
        for pattern in patterns {
            do {
                globs.append(try Glob(ProjectPath.clean(pattern)))
            } catch {
                throw LiveUpdateError(.invalidRules, "liveUpdate.\(key): \(error.description)",
                                      hint: "fix the glob in wbuild.json")
            }
        }
        return globs
    }
}
