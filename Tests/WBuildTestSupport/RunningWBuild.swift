import Foundation
import Synchronization

/// A `wbuild` process running in the background (e.g. `wbuild watch --json`), whose output
/// lines the test can wait for, and which the test stops with a signal.
public final class RunningWBuild {
    private let process: Process
    private let lines = LineBuffer()
    private let errors = LineBuffer()

    /// Starts `wbuild ARGS` in `directory`, through `launcher` when given (e.g. `nsenter
    /// --net=…`, which then execs wbuild: its pid stays the one signals go to), with
    /// `environment` added to this process's; `executable` is another wbuild binary (an
    /// installed one) instead of the built one.
    public init(_ arguments: [String], in directory: String, launcher: [String] = [],
                environment: [String: String] = [:], executable: String? = nil) throws {
        let binary = executable ?? WBuildBinary.path
        process = Process()
        process.executableURL = URL(fileURLWithPath: launcher.first ?? binary)
        process.arguments = launcher.isEmpty ? arguments : Array(launcher.dropFirst()) + [binary] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        Self.collect(out.fileHandleForReading, into: lines)
        Self.collect(err.fileHandleForReading, into: errors)
    }

    /// Reads `handle` on a thread of its own until end of file, line by line.
    private static func collect(_ handle: FileHandle, into store: LineBuffer) {
        let thread = Thread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    store.append(line)
                }
            }
            if !pending.isEmpty { store.append(String(decoding: pending, as: UTF8.self)) }
        }
        thread.start()
    }

    public var stdoutLines: [String] { lines.all }
    public var stderrText: String { errors.all.joined(separator: "\n") }

    /// `--json` lines parsed.
    public var events: [[String: Any]] {
        stdoutLines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }

    /// `node.done` events for `id` with `status`.
    public func doneCount(_ id: String, status: String = "built") -> Int {
        events.filter { $0["type"] as? String == "node.done" && $0["id"] as? String == id && $0["status"] as? String == status }.count
    }

    /// Waits until `condition` holds, polling every 10 ms; false when `timeout` passed first.
    @discardableResult
    public func wait(timeout: Duration = .seconds(20), until condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    /// Waits for the `watching` event (the watcher is armed).
    @discardableResult
    public func waitUntilWatching(timeout: Duration = .seconds(30)) -> Bool {
        wait(timeout: timeout) { events.contains { $0["type"] as? String == "watching" } }
    }

    /// Waits until no pass is running: the number of `pass.done` events stops changing for `quiet`.
    public func waitUntilQuiet(_ quiet: Duration = .milliseconds(400), timeout: Duration = .seconds(30)) {
        let deadline = ContinuousClock.now + timeout
        var last = -1
        var since = ContinuousClock.now
        while ContinuousClock.now < deadline {
            let count = stdoutLines.count
            if count != last { last = count; since = .now } else if ContinuousClock.now - since >= quiet { return }
            usleep(10_000)
        }
    }

    public var isRunning: Bool { process.isRunning }
    public var pid: Int32 { process.processIdentifier }

    /// Sends `signal` and waits for the process to exit; returns its exit code.
    @discardableResult
    public func stop(signal: Int32 = SIGINT, timeout: Duration = .seconds(20)) -> Int32? {
        if process.isRunning { kill(process.processIdentifier, signal) }
        wait(timeout: timeout) { !process.isRunning }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }
}

/// Lines appended by a reader thread and read by the test.
final class LineBuffer: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

extension RunningWBuild {
    /// Reasons of the `node.start` events for `id`, in order.
    public func startReasons(_ id: String) -> [String] {
        events.filter { $0["type"] as? String == "node.start" && $0["id"] as? String == id }.compactMap { $0["reason"] as? String }
    }

    /// Events of `type`.
    public func events(ofType type: String) -> [[String: Any]] {
        events.filter { $0["type"] as? String == type }
    }
}
