import Foundation

/// Runs a command the way a user's shell would and keeps what it printed, for tests that check
/// wbuild's output with the tools that consume it (`docker stack config`, `terraform`).
public enum ProcessCapture {
    public struct Result: Sendable {
        public let status: Int32
        /// stdout, then stderr.
        public let output: String
    }

    /// `executable ARGS` in `directory`, with `environment` added to this process's own; a
    /// command that cannot start is status 127 with the reason as its output.
    public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil,
                           environment: [String: String] = [:]) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            return Result(status: 127, output: "cannot run \(executable): \(error)")
        }
        // Read both pipes while it runs: a full pipe would block it.
        let errorData = LockedData()
        let reader = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { Thread.sleep(forTimeInterval: 0.005) }
        return Result(status: process.terminationStatus,
                      output: String(decoding: outData, as: UTF8.self) + String(decoding: errorData.value, as: UTF8.self))
    }

    /// stderr read on another thread.
    private final class LockedData: @unchecked Sendable {
        // Safe: every access to `data` and `done` holds `lock`.
        private let lock = NSLock()
        private var data = Data()
        private var done = false
        func set(_ value: Data) { lock.lock(); data = value; done = true; lock.unlock() }
        var isSet: Bool { lock.lock(); defer { lock.unlock() }; return done }
        var value: Data { lock.lock(); defer { lock.unlock() }; return data }
    }
}
