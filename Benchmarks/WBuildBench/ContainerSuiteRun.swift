import Foundation

/// What each container suite does around one measurement: a fresh directory in the run's
/// workspace and a Compose project name of its own, the measurement (an error it throws becomes
/// a problem in the report), then the clean-up of both sides (`DockerPeer.cleanUp`), a problem
/// for any volume `wbuild down --volumes` left behind, and the directory removed unless `--keep`.
struct ContainerSuiteRun {
    var options: BenchOptions
    var workspace: BenchDirectory

    /// - Parameters:
    ///   - label: the rows' label, for progress and problems (`up shop`).
    ///   - project: what `DockerPeer.projectName` makes the run's project name from.
    ///   - directory: the subdirectory of the workspace the project is written into.
    ///   - measure: gets the project name and the directory.
    func run(label: String, project: String, directory: String, into report: inout Report,
             measure: (_ name: String, _ root: String, _ report: inout Report) async throws(BenchError) -> Void) async {
        let name = DockerPeer.projectName(project)
        let root: String
        do {
            root = try workspace.subdirectory(directory)
        } catch {
            report.problem(error)
            return
        }
        do {
            try await measure(name, root, &report)
        } catch {
            report.problem(error)
        }
        Progress.say("\(label): cleaning up")
        let left = await DockerPeer.cleanUp(run: name, wbuild: options.wbuildMissing == nil ? options.wbuild : nil, in: root)
        if !left.isEmpty {
            report.problem(BenchError(.commandFailed, "\(label): `wbuild down --volumes` in \(root) exited but left the"
                                      + " project's volume(s) \(left.joined(separator: ", ")) in the engine",
                                      detail: "labels from `docker volume inspect --format '{{json .Labels}}'`",
                                      hint: "wbuild should create its named volumes with the project labels (down finds"
                                          + " them by label); the benchmark removed them with `docker volume rm`"))
        }
        if !options.keep { try? FileManager.default.removeItem(atPath: root) }
    }
}
