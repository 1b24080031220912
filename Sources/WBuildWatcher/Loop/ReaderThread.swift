#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

/// A dedicated POSIX thread for the blocking reader loop: it never borrows a thread of
/// Swift's cooperative pool, and `join` really waits until it has exited.
struct ReaderThread: Sendable {
    let handle: pthread_t

    /// Starts a thread named `name` (at most 15 bytes show in /proc) that runs `body`.
    static func launch(name: String, _ body: @escaping @Sendable () -> Void) -> Result<ReaderThread, Errno> {
        let context = Unmanaged.passRetained(ReaderThreadBody(name: name, run: body)).toOpaque()
        var handle = pthread_t()
        let result = pthread_create(&handle, nil, readerThreadEntry, context)
        if result != 0 {
            Unmanaged<ReaderThreadBody>.fromOpaque(context).release()
            return .failure(Errno(rawValue: result))
        }
        return .success(ReaderThread(handle: handle))
    }

    /// `pthread_join(3)`: blocks until the thread has returned.
    func join() { _ = pthread_join(handle, nil) }
}

/// The closure handed through `pthread_create`'s context pointer.
private final class ReaderThreadBody: Sendable {
    let name: String
    let run: @Sendable () -> Void
    init(name: String, run: @escaping @Sendable () -> Void) {
        self.name = name
        self.run = run
    }
}

/// The thread's C entry point: takes back the retained body, names the thread, runs it.
private func readerThreadEntry(_ raw: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let raw else { return nil }
    let body = Unmanaged<ReaderThreadBody>.fromOpaque(raw).takeRetainedValue()
    nameCurrentThread(body.name)
    body.run()
    return nil
}

/// Sets the calling thread's name (first 15 bytes) through /proc/thread-self/comm, since
/// `pthread_setname_np` is hidden from Swift. Best effort: a name is only a debugging aid.
private func nameCurrentThread(_ name: String) {
    guard let comm = try? FileDescriptor.open("/proc/thread-self/comm", O_WRONLY) else { return }
    _ = comm.writeAll(Array(name.utf8.prefix(15)))
    comm.close()
}
