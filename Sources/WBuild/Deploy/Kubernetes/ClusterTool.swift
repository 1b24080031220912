import Foundation
import Synchronization
import WBuildSpec
import WBuildSystem

/// kubectl or helm, found once (`kubernetes.kubectl` / `kubernetes.helm`, else PATH, else the
/// copy `scripts/setup.sh` installs in /opt/wbuild-tools/bin), and run to its end through
/// `ChildProcess`: its exit is awaited off the cooperative pool and its output read on the
/// process layer's reader thread.
public struct ClusterTool: Sendable, Equatable {
    /// Which program.
    public enum Program: String, Sendable {
        case kubectl, helm
    }

    /// What one run printed and how it ended.
    public struct Output: Sendable, Equatable {
        public var status: ExitStatus
        public var stdout: String
        public var stderr: String

        public var ok: Bool { status.isSuccess }

        /// stderr's last non-empty lines (kubectl's and helm's own error messages), for errors.
        public func reason(lines: Int = 6) -> String {
            let text = stderr.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.suffix(lines)
            return text.isEmpty ? "\(status)" : text.joined(separator: "\n  ")
        }
    }

    public let program: Program
    /// The executable's path.
    public let path: String
    /// Variables over the inherited environment (KUBECONFIG comes from the caller's).
    public var environment: [String: String]

    public static let installedFolder = "/opt/wbuild-tools/bin"

    public init(program: Program, path: String, environment: [String: String] = [:]) {
        self.program = program
        self.path = path
        self.environment = environment
    }

    /// The configured program (relative paths from the project root), else PATH, else the
    /// installed copy.
    /// - Throws: `.usage` when the configured path is no executable or none is found.
    public static func find(_ program: Program, spec: ProjectSpec, projectRoot: String,
                            searchPath: String? = ProcessInfo.processInfo.environment["PATH"]) throws(WBuildError) -> ClusterTool {
        let key = "kubernetes.\(program.rawValue)"
        let configured = program == .kubectl ? spec.kubernetes?.kubectl : spec.kubernetes?.helm
        if let configured {
            let path = configured.contains("/") && !configured.hasPrefix("/") ? projectRoot + "/" + configured : configured
            if path.contains("/") {
                guard FileManager.default.isExecutableFile(atPath: path) else {
                    throw WBuildError(.usage, "\(key) names \(configured), which is not an executable file",
                                      hint: "point \(key) at a \(program.rawValue) binary, or leave it out to use \(program.rawValue) from PATH")
                }
                return ClusterTool(program: program, path: path)
            }
            if let found = lookUp(path, in: searchPath) { return ClusterTool(program: program, path: found) }
            throw WBuildError(.usage, "\(key) names \(configured), which is not on PATH",
                              hint: "give its full path in \(key), or put it on PATH")
        }
        if let found = lookUp(program.rawValue, in: searchPath) { return ClusterTool(program: program, path: found) }
        let installed = installedFolder + "/" + program.rawValue
        if FileManager.default.isExecutableFile(atPath: installed) { return ClusterTool(program: program, path: installed) }
        throw WBuildError(.usage, "deploy needs \(program.rawValue), and none was found (not on PATH, not in \(installedFolder))",
                          hint: "put \(program.rawValue) on PATH, set \(key) to its path, or run scripts/setup.sh (it installs \(installed))")
    }

    static func lookUp(_ name: String, in searchPath: String?) -> String? {
        for folder in (searchPath ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `path ARGUMENTS` to its end and returns what it printed.
    /// - Throws: `.failed` when it cannot be started at all.
    public func run(_ arguments: [String], standardInput: [UInt8]? = nil) async throws(WBuildError) -> Output {
        let collected = Mutex<(out: [String], err: [String])>(([], []))
        let launch = ProcessLaunch(.argv([path] + arguments), environment: environment, tailLineCount: 0,
                                   standardInput: standardInput)
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(launch) { chunk in
                collected.withLock { lines in
                    if chunk.stream == .stdout { lines.out.append(chunk.line) } else { lines.err.append(chunk.line) }
                }
            }
        } catch {
            throw WBuildError(.failed, "could not run \(path): \(error)",
                              hint: "set kubernetes.\(program.rawValue) to a working \(program.rawValue), or run scripts/setup.sh")
        }
        let status = await child.wait()
        let lines = collected.withLock { $0 }
        return Output(status: status, stdout: lines.out.joined(separator: "\n"), stderr: lines.err.joined(separator: "\n"))
    }

    /// `run`, then the stdout of a successful run.
    /// - Throws: `.failed` with `what`, the command and its own error when it exits non-zero.
    public func checked(_ arguments: [String], _ what: String, hint: String? = nil) async throws(WBuildError) -> String {
        let output = try await run(arguments)
        guard output.ok else {
            throw WBuildError(.failed, "\(what) failed: \(program.rawValue) \(Self.shown(arguments)):\n  \(output.reason())",
                              hint: hint ?? "run the command yourself to see more; `wbuild doctor --target kubernetes` checks the cluster")
        }
        return output.stdout
    }

    static func shown(_ arguments: [String]) -> String {
        ProcessCommand.argv(arguments).description
    }
}
