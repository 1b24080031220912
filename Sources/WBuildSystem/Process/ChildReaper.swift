#if canImport(Glibc)
import Glibc
#endif

/// Collects one child's exit status with a blocking `waitpid(pid)` on a dedicated thread.
///
/// It waits for that pid only: no `SIGCHLD` handler and no `waitpid(-1)`, so children that
/// other code started (Foundation's `Process`) keep their statuses.
struct ChildReaper: Sendable {
    let pid: pid_t
    /// Set with the status once the child is reaped.
    let exited: AsyncLatch<ExitStatus>
    /// Write end of the reader's wake-up pipe; one byte is written after `exited` is set,
    /// then it is closed.
    let wakeDescriptor: Int32

    func start() {
        DedicatedThread.start(name: "wbuild-reap-\(pid)") { self.run() }
    }

    private func run() {
        exited.resolve(Self.waitForExit(pid))
        var byte: UInt8 = 1
        _ = retryingInterrupts { write(wakeDescriptor, &byte, 1) }
        close(wakeDescriptor)
    }

    /// `waitpid(pid, &status, 0)`, retrying `EINTR`. `.exited(-1)` when the status is lost
    /// (`ECHILD`: something else reaped the child).
    static func waitForExit(_ pid: pid_t) -> ExitStatus {
        var status: Int32 = 0
        switch retryingInterrupts({ waitpid(pid, &status, 0) }) {
        case .success: return ExitStatus(waitStatus: status)
        case .failure: return .exited(-1)
        }
    }
}
