import Foundation

/// Observes the engine the way a user would, with Debian's `docker` CLI.
public enum DockerCLI {
    public static let path = "/usr/bin/docker"

    /// Runs `docker ARGS`; returns trimmed stdout, or nil when it failed.
    @discardableResult
    public static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Image ids labelled with `dev.wbuild.project=<project>`.
    public static func images(project: String) -> [String] {
        (run(["images", "-q", "--no-trunc", "--filter", "label=dev.wbuild.project=\(project)"]) ?? "")
            .split(separator: "\n").map(String.init)
    }

    /// Removes everything labelled with the project (containers, then images, networks, volumes).
    public static func cleanUp(project: String) {
        let label = "label=dev.wbuild.project=\(project)"
        if let containers = run(["ps", "-aq", "--filter", label]), !containers.isEmpty {
            run(["rm", "-f"] + containers.split(separator: "\n").map(String.init))
        }
        let ids = images(project: project)
        if !ids.isEmpty { run(["rmi", "-f"] + ids) }
        if let networks = run(["network", "ls", "-q", "--filter", label]), !networks.isEmpty {
            run(["network", "rm"] + networks.split(separator: "\n").map(String.init))
        }
        if let volumes = run(["volume", "ls", "-q", "--filter", label]), !volumes.isEmpty {
            run(["volume", "rm", "-f"] + volumes.split(separator: "\n").map(String.init))
        }
    }
}
