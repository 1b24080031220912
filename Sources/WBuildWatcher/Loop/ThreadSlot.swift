import Synchronization

/// Hands the launched reader thread from `pthread_create`'s caller to `FileWatcher.start`.
final class ThreadSlot: Sendable {
    private let thread = Mutex<ReaderThread?>(nil)
    func store(_ value: ReaderThread) { thread.withLock { $0 = value } }
    func take() -> ReaderThread? { thread.withLock { $0.take() } }
}
