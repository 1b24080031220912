#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A running child process (a task's `cmd`, a `serve` process) in a process group of its
/// own, with its output delivered line by line, its exit awaited without blocking the
/// cooperative pool, and a way to stop it and everything it started.
///
/// Two dedicated threads serve each child: one blocked in `waitpid(pid)`, one in `poll()` on
/// its stdout and stderr pipes (see `OutputReader`). Both end when the child has exited and
/// its output is read, so a finished `ChildProcess` holds no thread and no descriptor.
/// Releasing a `ChildProcess` does not stop the process: call `terminate`.
///
/// ```swift
/// let child = try ChildProcess.spawn(ProcessLaunch(.shell("make assets"), directory: root)) { chunk in
///     log(chunk.stream, chunk.line)
/// }
/// let status = await child.wait()                      // or: await child.terminate(grace: .seconds(5))
/// if !status.isSuccess { report(status, child.tail) }
/// ```
public final class ChildProcess: Sendable {
    /// The child's process id; also its process group id.
    public let pid: pid_t
    /// What was launched.
    public let launch: ProcessLaunch

    private let exited: AsyncLatch<ExitStatus>
    private let finished: AsyncLatch<ExitStatus>
    private let recentOutput: Mutex<OutputTail>
    private let termination = Mutex<Task<ExitStatus, Never>?>(nil)
    /// `pipe:[inode]` of each pipe this child's reading used, as `/proc/self/fd` shows them
    /// (lets tests prove that every descriptor was closed).
    let pipeIdentities: [String]

    init(pid: pid_t, launch: ProcessLaunch, exited: AsyncLatch<ExitStatus>, finished: AsyncLatch<ExitStatus>,
         pipeIdentities: [String]) {
        self.pid = pid
        self.launch = launch
        self.exited = exited
        self.finished = finished
        self.recentOutput = Mutex(OutputTail(capacity: launch.tailLineCount))
        self.pipeIdentities = pipeIdentities
    }

    /// The process group the child leads.
    var group: ProcessGroup { ProcessGroup(id: pid) }

    /// The last lines of output (both streams, oldest first), at most `launch.tailLineCount`.
    public var tail: [OutputChunk] { recentOutput.withLock { $0.lines } }

    /// The exit status once the process has exited and its output is read; `nil` before.
    public var exitStatus: ExitStatus? { finished.value }

    /// Waits until the process has exited and its output has been delivered (both pipes at
    /// end of file, or `launch.outputDrainTimeout` after the exit when a descendant still
    /// holds them; the pipes are then closed, and that descendant's next write gets `EPIPE`).
    /// Every `output` call has returned when this returns. Any number of callers may wait.
    /// Not cancellable: to stop waiting for a process that should no longer run, `terminate` it.
    public func wait() async -> ExitStatus {
        await finished.wait()
    }

    /// Stops the process and everything in its process group: `SIGTERM` to the group, then
    /// `SIGKILL` to the group if the leader has not exited after `grace`, or if other members
    /// still run `grace` after the signal. Returns the leader's exit status (as `wait()`).
    ///
    /// Idempotent: later and concurrent calls wait for the first termination (and its grace).
    /// Safe after the process exited: it then stops only members left behind
    /// (`sleep 100 &`), if any, and otherwise returns the status at once.
    ///
    /// Signals go to the group id, which is the leader's pid. After the leader is reaped and
    /// every member is gone, the kernel may reuse that number; a group is only signalled after
    /// `kill(-pgid, 0)` and `/proc` showed running members, so the window is a pid wrap-around
    /// between that check and the signal (pid_max is 4 million on 64-bit Linux).
    @discardableResult
    public func terminate(grace: Duration = .seconds(5)) async -> ExitStatus {
        let task = termination.withLock { current -> Task<ExitStatus, Never> in
            if let current { return current }
            let task = Task { await self.stop(grace: grace) }
            current = task
            return task
        }
        return await task.value
    }

    /// Sends `signal` to the whole process group (e.g. `SIGHUP` to ask a server to reload).
    /// Returns false when no member is left.
    @discardableResult
    public func signalGroup(_ signal: Int32) -> Bool {
        group.send(signal)
    }

    func recordOutput(_ chunk: OutputChunk) {
        recentOutput.withLock { $0.append(chunk) }
    }

    private func stop(grace: Duration) async -> ExitStatus {
        let deadline = ContinuousClock.now + grace
        if exited.value == nil || group.hasRunningMembers {
            group.send(SIGTERM)
            if await exited.wait(timeout: grace) == nil {
                group.send(SIGKILL)
            } else {
                await stopStragglers(deadline: deadline)
            }
        }
        return await finished.wait()
    }

    /// The leader has exited; members it left behind got the same `SIGTERM` and have until
    /// `deadline` to exit before `SIGKILL`. Checked every 20 ms: no event reports that a
    /// process group became empty.
    private func stopStragglers(deadline: ContinuousClock.Instant) async {
        while group.hasRunningMembers {
            if ContinuousClock.now >= deadline {
                group.send(SIGKILL)
                return
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
