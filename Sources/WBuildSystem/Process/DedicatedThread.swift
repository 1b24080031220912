import Foundation

/// Starts an OS thread of its own for work that blocks in a system call (`poll`, `waitpid`,
/// `read`), so it never occupies a thread of Swift's cooperative pool.
enum DedicatedThread {
    /// - Parameter stackSize: bytes; the work is a loop around a syscall, so the default is
    ///   small. Give more where user callbacks run on the thread.
    static func start(name: String, stackSize: Int = 256 * 1024, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.stackSize = stackSize
        thread.start()
    }
}
