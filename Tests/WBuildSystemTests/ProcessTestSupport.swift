import WBuildTestSupport
import Foundation
import Synchronization
@testable import WBuildSystem

/// Collects a child's output lines for assertions; its `handler` is what `spawn` gets.
final class OutputCollector: Sendable {
    private let chunks = Mutex<[OutputChunk]>([])

    var handler: @Sendable (OutputChunk) -> Void {
        { chunk in self.chunks.withLock { $0.append(chunk) } }
    }

    var all: [OutputChunk] { chunks.withLock { $0 } }

    func lines(_ stream: OutputChunk.Stream) -> [String] {
        all.filter { $0.stream == stream }.map(\.line)
    }

    /// Waits until a line equal to `line` arrived; false after `timeout`.
    func waitForLine(_ line: String, timeout: Duration = .seconds(20)) async -> Bool {
        await eventually(within: timeout) { self.all.contains { $0.line == line } }
    }
}

/// Runs `body`, giving up after `timeout`: `nil` means it did not finish in time.
func withDeadline<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async -> T) async -> T? {
    await withTaskGroup(of: T?.self) { group in
        group.addTask { await body() }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}

/// Whether `pid` is still running (a zombie counts as gone: it has exited).
func isRunning(_ pid: pid_t) -> Bool {
    guard let entry = ProcessTable.entry(for: pid) else { return false }
    return entry.state != "Z" && entry.state != "X"
}

/// The `/proc/self/fd` link targets now open in this process.
func openDescriptorTargets() -> [String] {
    let directory = "/proc/self/fd"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + $0) }
}

/// Spawns and waits, for tests that only look at the result.
func run(_ launch: ProcessLaunch) async throws -> (ExitStatus, OutputCollector) {
    let collector = OutputCollector()
    let child = try ChildProcess.spawn(launch, output: collector.handler)
    return (await child.wait(), collector)
}
