import Foundation

/// Runs the built `wbuild` executable the way a user does, for end-to-end tests.
public enum WBuildBinary {
    /// The result of one run.
    public struct Run: Sendable {
        public let exitCode: Int32
        public let stdout: String
        public let stderr: String

        /// `--json` output: one object per line.
        public var jsonLines: [[String: Any]] {
            stdout.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
            }
        }

        /// The final `{"type":"result"}` object, if any.
        public var result: [String: Any]? { jsonLines.last { $0["type"] as? String == "result" } }

        /// `id` → node object of the result.
        public var nodes: [String: [String: Any]] {
            let list = (result?["nodes"] as? [[String: Any]]) ?? []
            return Dictionary(list.compactMap { node in (node["id"] as? String).map { ($0, node) } }, uniquingKeysWith: { a, _ in a })
        }

        public func status(_ id: String) -> String? { nodes[id]?["status"] as? String }
    }

    /// The package root, found from this file's location.
    public static var packageRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }

    /// `.build/debug/wbuild` (or `WBUILD_BIN`).
    public static var path: String {
        if let override = ProcessInfo.processInfo.environment["WBUILD_BIN"] { return override }
        return packageRoot + "/.build/debug/wbuild"
    }

    /// Runs `wbuild ARGS` in `directory`, waiting at most `timeout`; `executable` is another
    /// wbuild binary (an installed one) instead of the built one.
    public static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:],
                           timeout: Duration = .seconds(120), executable: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let outFile = NSTemporaryDirectory() + "/wbuild-test-stdout-\(UUID().uuidString)"
        let errFile = outFile + "-err"
        _ = FileManager.default.createFile(atPath: outFile, contents: nil)
        _ = FileManager.default.createFile(atPath: errFile, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outFile)
            try? FileManager.default.removeItem(atPath: errFile)
        }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outFile))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errFile))
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { usleep(5_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw RunError.timedOut(arguments: arguments, after: timeout)
        }
        let stdout = (try? String(contentsOfFile: outFile, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errFile, encoding: .utf8)) ?? ""
        return Run(exitCode: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    public enum RunError: Error, CustomStringConvertible {
        case timedOut(arguments: [String], after: Duration)
        public var description: String {
            switch self {
            case .timedOut(let arguments, let after): return "wbuild \(arguments.joined(separator: " ")) did not finish within \(after)"
            }
        }
    }
}
