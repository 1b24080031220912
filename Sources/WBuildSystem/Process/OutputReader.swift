#if canImport(Glibc)
import Glibc
#endif

/// Reads a child's stdout and stderr pipes line by line on a dedicated thread blocked in
/// `poll(2)`, and decides when its output is complete.
///
/// Output is complete when the child has exited (the reaper writes a byte to the wake-up
/// pipe) and either both pipes reached end of file, or `drainTimeout` passed since the exit:
/// a descendant that inherited the pipes (`server &`) must not keep us waiting forever.
/// Then the reader closes every descriptor it owns and resolves `finished`.
struct OutputReader: Sendable {
    let standardOutput: Int32
    let standardError: Int32
    /// Read end of the wake-up pipe the reaper writes to.
    let wakeDescriptor: Int32
    let drainTimeout: Duration
    let exited: AsyncLatch<ExitStatus>
    let finished: AsyncLatch<ExitStatus>
    /// Called on the reader thread for each line, in order within each stream.
    let deliver: @Sendable (OutputChunk) -> Void

    func start(pid: pid_t) {
        // The `output` callback runs here: give it a normal-sized stack.
        DedicatedThread.start(name: "wbuild-output-\(pid)", stackSize: 1024 * 1024) { self.run() }
    }

    private struct Pipe {
        let descriptor: Int32
        let stream: OutputChunk.Stream
        var splitter = LineSplitter()
        var isOpen = true
    }

    private func run() {
        var pipes = [Pipe(descriptor: standardOutput, stream: .stdout), Pipe(descriptor: standardError, stream: .stderr)]
        let bufferSize = 64 * 1024
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
        defer { buffer.deallocate() }
        var drainDeadline: ContinuousClock.Instant?

        while pipes.contains(where: \.isOpen) || drainDeadline == nil {
            var timeout: Int32 = -1
            if let drainDeadline {
                timeout = Self.milliseconds(until: drainDeadline)
                if timeout == 0 { break }
            }
            var polled = pipes.filter(\.isOpen).map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
            if drainDeadline == nil {
                polled.append(pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0))
            }
            let ready = poll(&polled, nfds_t(polled.count), timeout)
            if ready < 0 {
                if Errno.current == .interrupted { continue }
                break  // EINVAL/ENOMEM: give up reading; status still comes from the reaper below.
            }
            for entry in polled where entry.revents != 0 {
                if entry.fd == wakeDescriptor {
                    drainDeadline = .now + drainTimeout
                } else if let index = pipes.firstIndex(where: { $0.descriptor == entry.fd }) {
                    readAvailable(from: &pipes[index], into: buffer)
                }
            }
        }

        for index in pipes.indices where pipes[index].isOpen {
            endOfStream(&pipes[index])
        }
        if drainDeadline == nil {
            // Only after a poll failure: block until the reaper has the status.
            var byte: UInt8 = 0
            _ = retryingInterrupts { read(wakeDescriptor, &byte, 1) }
        }
        close(wakeDescriptor)
        finished.resolve(exited.value ?? .exited(-1))
    }

    /// One `read(2)`: lines it completes are delivered; 0 bytes (or an error) ends the stream.
    private func readAvailable(from pipe: inout Pipe, into buffer: UnsafeMutableRawBufferPointer) {
        switch FileDescriptor(rawValue: pipe.descriptor).read(into: buffer) {
        case .success(let count) where count > 0:
            for line in pipe.splitter.append(UnsafeRawBufferPointer(rebasing: buffer[..<count])) {
                deliver(OutputChunk(stream: pipe.stream, line: line))
            }
        case .success, .failure:
            endOfStream(&pipe)
        }
    }

    /// Delivers the unterminated last line, if any, and closes the pipe.
    private func endOfStream(_ pipe: inout Pipe) {
        if let last = pipe.splitter.finish() {
            deliver(OutputChunk(stream: pipe.stream, line: last))
        }
        close(pipe.descriptor)
        pipe.isOpen = false
    }

    /// Milliseconds from now to `deadline`, rounded up; 0 once it has passed.
    static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let remaining = deadline - .now
        guard remaining > .zero else { return 0 }
        let (seconds, attoseconds) = remaining.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1
        return Int32(clamping: milliseconds)
    }
}
