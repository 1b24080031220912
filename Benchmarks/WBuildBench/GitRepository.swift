import WBuildSystem

/// Makes a generated tree a git repository with everything committed, so `git status` has a
/// full, warm index to compare against (its best case, and the fair peer to a no-op `once`).
enum GitRepository {
    static func commitAll(at root: String) async throws(BenchError) {
        let identity = ["-c", "user.name=wbuild-bench", "-c", "user.email=bench@localhost", "-c", "commit.gpgsign=false"]
        try await ProcessTimer.runChecked(.argv(["git", "init", "-q"]), in: root)
        try await ProcessTimer.runChecked(.argv(["git", "add", "-A"]), in: root)
        try await ProcessTimer.runChecked(.argv(["git"] + identity + ["commit", "-q", "-m", "benchmark tree"]), in: root)
    }
}
