import Foundation
import Synchronization
import WBuildCore
import WBuildSystem

/// Keeps `serve` tasks (dev servers, local watchers) running while `wbuild watch` runs:
/// starts them, restarts them when their inputs change, restarts them with exponential backoff
/// when they crash, and stops them all (SIGTERM, then SIGKILL after the grace) at the end.
public final class ServeSupervisor: Sendable {
    private struct Entry {
        var fingerprint: Fingerprint
        var process: ChildProcess
        /// Bumped on every deliberate (re)start so an old process's exit is not taken for a crash.
        var generation: Int
        var crashes: Int
    }
    private let entries = Mutex<[String: Entry]>([:])
    private let stopping = Atomic<Bool>(false)
    let events: EventSink
    let stopGrace: Duration

    public init(events: EventSink, stopGrace: Duration = .seconds(2)) {
        self.events = events
        self.stopGrace = stopGrace
    }

    /// Whether `name` runs with this fingerprint right now.
    public func isRunning(_ name: String, fingerprint: Fingerprint) -> Bool {
        entries.withLock { entry in
            guard let current = entry[name] else { return false }
            return current.fingerprint == fingerprint && current.process.exitStatus == nil
        }
    }

    /// Starts `definition`, replacing (stopping first) any running process of the same name.
    public func start(_ definition: TaskDefinition, fingerprint: Fingerprint, id: NodeID) async throws(NodeFailure) {
        // Take the old process out first, so its exit is not mistaken for a crash.
        let (old, generation) = entries.withLock { entries in
            let old = entries.removeValue(forKey: definition.name)
            return (old?.process, (old?.generation ?? 0) + 1)
        }
        if let old { await old.terminate(grace: stopGrace) }
        let process = try spawn(definition, id: id)
        entries.withLock { $0[definition.name] = Entry(fingerprint: fingerprint, process: process, generation: generation, crashes: 0) }
        watchForExit(definition, fingerprint: fingerprint, id: id, process: process, generation: generation)
    }

    /// Stops every process except those named in `keep` (after a reload removed or changed them).
    public func stopAll(except keep: Set<String> = []) async {
        let doomed = entries.withLock { entries in
            let names = entries.keys.filter { !keep.contains($0) }
            return names.compactMap { name in entries.removeValue(forKey: name)?.process }
        }
        await withTaskGroup(of: Void.self) { group in
            for process in doomed { group.addTask { _ = await process.terminate(grace: self.stopGrace) } }
        }
    }

    /// Stops everything and refuses further restarts.
    public func shutdown() async {
        stopping.store(true, ordering: .sequentiallyConsistent)
        await stopAll()
    }

    private func spawn(_ definition: TaskDefinition, id: NodeID) throws(NodeFailure) -> ChildProcess {
        let launch = ProcessLaunch(definition.command, directory: definition.directory,
                                   environment: Dictionary(definition.environment, uniquingKeysWith: { _, last in last }))
        let events = self.events
        do {
            return try ChildProcess.spawn(launch) { chunk in
                events.emit(.log(id, chunk.stream == .stderr ? .stderr : .stdout, chunk.line))
            }
        } catch {
            throw NodeFailure(error.description, hint: error.hint)
        }
    }

    /// Reports an unexpected exit and restarts after 0.5 s, 1 s, 2 s … (at most 30 s).
    private func watchForExit(_ definition: TaskDefinition, fingerprint: Fingerprint, id: NodeID,
                              process: ChildProcess, generation: Int) {
        Task {
            let status = await process.wait()
            let crashes: Int? = entries.withLock { entries in
                guard var entry = entries[definition.name], entry.generation == generation else { return nil }
                entry.crashes += 1
                entries[definition.name] = entry
                return entry.crashes
            }
            guard let crashes, !stopping.load(ordering: .sequentiallyConsistent) else { return }
            let delayMs = min(30_000, 500 << min(crashes - 1, 6))
            events.emit(.warning("\(id) exited (\(status)); restarting in \(Duration.milliseconds(delayMs).formattedSeconds)"))
            try? await Task.sleep(for: .milliseconds(delayMs))
            guard !stopping.load(ordering: .sequentiallyConsistent),
                  entries.withLock({ $0[definition.name]?.generation == generation }) else { return }
            do {
                let replacement = try spawn(definition, id: id)
                let next = generation + 1
                entries.withLock { entries in
                    entries[definition.name] = Entry(fingerprint: fingerprint, process: replacement,
                                                     generation: next, crashes: crashes)
                }
                watchForExit(definition, fingerprint: fingerprint, id: id, process: replacement, generation: next)
            } catch {
                events.emit(.warning("\(id) could not be restarted: \(error)"))
            }
        }
    }
}

extension Duration {
    /// "0.5 s", "30 s".
    var formattedSeconds: String {
        let ms = Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000)
        return ms % 1000 == 0 ? "\(ms / 1000) s" : "\(Double(ms) / 1000) s"
    }
}
