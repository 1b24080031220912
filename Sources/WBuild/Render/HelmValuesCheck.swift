import Foundation
import WBuildSpec
import WBuildSystem

/// `wbuild render --target helm --values F`: the rendered chart linted with that values file
/// (`helm lint --strict CHART -f F`), which checks it against `values.schema.json` and renders
/// every template with it. YAML values need a YAML reader, so this runs Helm: from
/// `kubernetes.helm`, else PATH, else the copy `scripts/setup.sh` installs.
enum HelmValuesCheck {
    static let installedHelm = "/opt/wbuild-tools/bin/helm"

    static func check(chartFolder: String, valuesFile: String, spec: ProjectSpec, projectRoot: String) async throws(WBuildError) {
        let values = valuesFile.hasPrefix("/") ? valuesFile : FileManager.default.currentDirectoryPath + "/" + valuesFile
        guard FileManager.default.fileExists(atPath: values) else {
            throw WBuildError(.usage, "the values file \(valuesFile) does not exist", hint: "give the path of a YAML file of values for the chart")
        }
        let helm = try helmBinary(spec: spec, projectRoot: projectRoot)
        let launch = ProcessLaunch(.argv([helm, "lint", "--strict", chartFolder, "-f", values]), tailLineCount: 60)
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(launch)
        } catch {
            throw WBuildError(.failed, "could not run \(helm) to check \(valuesFile): \(error)",
                              hint: "set kubernetes.helm to a Helm 3 binary, or run scripts/setup.sh")
        }
        let status = await child.wait()
        guard status.isSuccess else {
            let lines = child.tail.map(\.line).filter { line in
                !line.isEmpty && !line.hasPrefix("==> Linting") && !line.contains("icon is recommended") && !line.contains("chart(s) linted")
            }
            throw WBuildError(.failed, "\(valuesFile) does not fit the chart in \(chartFolder):\n  " + lines.joined(separator: "\n  "),
                              hint: "fix the values file: its keys and types are in \(chartFolder)/values.schema.json")
        }
    }

    /// `kubernetes.helm` (relative to the project), else `helm` on PATH, else the installed copy.
    static func helmBinary(spec: ProjectSpec, projectRoot: String) throws(WBuildError) -> String {
        if let configured = spec.kubernetes?.helm {
            let path = configured.contains("/") && !configured.hasPrefix("/") ? projectRoot + "/" + configured : configured
            guard !path.contains("/") || FileManager.default.isExecutableFile(atPath: path) else {
                throw WBuildError(.usage, "kubernetes.helm names \(configured), which is not an executable file",
                                  hint: "point it at a Helm 3 binary, or leave it out to use helm from PATH")
            }
            return path
        }
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in searchPath.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(folder)/helm") {
            return "\(folder)/helm"
        }
        if FileManager.default.isExecutableFile(atPath: installedHelm) { return installedHelm }
        throw WBuildError(.usage, "render --values needs Helm 3 to read the YAML values file, and none was found",
                          hint: "put helm on PATH, set kubernetes.helm, or run scripts/setup.sh (it installs \(installedHelm))")
    }
}
