import Foundation

/// Starts an OS thread of its own for work that blocks in a system call (`poll`, `waitpid`,
/// `read`), so it never occupies a thread of Swift's cooperative pool.
enum DedicatedThread {
    static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        // The work is a loop around a syscall; it needs little stack.
        thread.stackSize = 256 * 1024
        thread.start()
    }
}
