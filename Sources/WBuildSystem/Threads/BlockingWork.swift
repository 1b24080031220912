/// Runs blocking work (file writes, directory walks) on a thread of its own and awaits its
/// result, so the Swift cooperative pool never waits in a system call.
public enum BlockingWork {
    public static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DedicatedThread.start(name: name, stackSize: 1 << 20) {
                continuation.resume(returning: body())
            }
        }
    }
}
