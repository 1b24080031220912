import WBuildWatcher
import WBuildWorkloads

extension ChangeBatch {
    /// The batch without the project's secret files: live update never syncs one into a
    /// container (a `sync` rule such as `from: "."` would otherwise copy it in, and record its
    /// digest in the ledger). A secret file's edit reloads the graph instead.
    func withoutSecretFiles(of project: ProjectGraph) -> ChangeBatch {
        let secrets = Set(project.spec.secretFiles)
        guard !secrets.isEmpty, !paths.isDisjoint(with: secrets) else { return self }
        var batch = self
        batch.paths.subtract(secrets)
        return batch
    }
}
