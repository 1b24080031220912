import Foundation
import Synchronization
import WBuildSystem

/// One output line of a long-running process and the moment it arrived here.
struct StampedLine: Sendable {
    /// `CLOCK_REALTIME` nanoseconds, taken on the output reader thread as the line arrived.
    var arrived: Int64
    var stream: OutputChunk.Stream
    var text: String
    /// The JSON event's `type`, when the line is a JSON object with one.
    var eventType: String?
}

/// A long-running process (`wbuild watch`, `inotifywait -m`) whose every output line is kept
/// with its arrival time, and a way to wait for a line with a deadline.
///
/// The arrival time is taken on ChildProcess's reader thread before anything else happens to
/// the line, so how often `waitFor` polls does not change any figure.
final class StampedProcess: Sendable {
    let child: ChildProcess
    /// `CLOCK_REALTIME` nanoseconds just before the spawn.
    let started: Int64
    private let lines: LineStore

    private init(child: ChildProcess, started: Int64, lines: LineStore) {
        self.child = child
        self.started = started
        self.lines = lines
    }

    static func start(_ command: ProcessCommand, in directory: String) throws(BenchError) -> StampedProcess {
        let lines = LineStore()
        let collect: @Sendable (OutputChunk) -> Void = { chunk in
            let arrived = WallClock.realtimeNanoseconds()
            let line = StampedLine(arrived: arrived, stream: chunk.stream, text: chunk.line,
                                   eventType: chunk.stream == .stdout ? JSONLine.type(chunk.line) : nil)
            lines.append(line)
        }
        let started = WallClock.realtimeNanoseconds()
        do {
            let child = try ChildProcess.spawn(ProcessLaunch(command, directory: directory, tailLineCount: 40), output: collect)
            return StampedProcess(child: child, started: started, lines: lines)
        } catch {
            throw BenchError(.commandFailed, "could not start `\(command)` in \(directory)", detail: error.description)
        }
    }

    var pid: pid_t { child.pid }

    /// The first line, arrived at or after `since`, that `matches`; waits up to `timeout`.
    /// Throws when the process exits first or the deadline passes, with its last output.
    func waitFor(_ what: String, since: Int64 = 0, timeout: Duration,
                 _ matches: (StampedLine) -> Bool) async throws(BenchError) -> StampedLine {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let line = first(since: since, matches) { return line }
            if let status = child.exitStatus {
                throw BenchError(.commandFailed, "`\(child.launch.command)` ended with \(status) before \(what)",
                                 detail: tailText)
            }
            if ContinuousClock.now >= deadline {
                throw BenchError(.timedOut, "`\(child.launch.command)` showed no \(what) within \(timeout)",
                                 detail: tailText)
            }
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    func first(since: Int64 = 0, _ matches: (StampedLine) -> Bool) -> StampedLine? {
        lines.first(where: { $0.arrived >= since && matches($0) })
    }

    /// The newest line, arrived at or after `since`, that `matches`.
    func last(since: Int64 = 0, where matches: (StampedLine) -> Bool) -> StampedLine? {
        lines.last(where: { $0.arrived >= since && matches($0) })
    }

    /// Every line so far that `matches`, oldest first.
    func all(where matches: (StampedLine) -> Bool) -> [StampedLine] {
        lines.all(where: matches)
    }

    /// The last lines of output, for failure messages.
    var tailText: String {
        let tail = child.tail.suffix(12).map(\.description)
        return tail.isEmpty ? "(no output)" : tail.joined(separator: "\n")
    }

    /// SIGTERM to its process group, SIGKILL after `grace`.
    func stop(grace: Duration = .seconds(5)) async -> ExitStatus {
        await child.terminate(grace: grace)
    }
}

/// The lines collected so far, shared between the reader thread that appends and the
/// benchmark that searches them.
private final class LineStore: Sendable {
    private let lines = Mutex<[StampedLine]>([])

    func append(_ line: StampedLine) { lines.withLock { $0.append(line) } }

    func first(where matches: (StampedLine) -> Bool) -> StampedLine? {
        lines.withLock { lines in lines.first(where: matches) }
    }

    func all(where matches: (StampedLine) -> Bool) -> [StampedLine] {
        lines.withLock { lines in lines.filter(matches) }
    }

    func last(where matches: (StampedLine) -> Bool) -> StampedLine? {
        lines.withLock { lines in lines.last(where: matches) }
    }
}
