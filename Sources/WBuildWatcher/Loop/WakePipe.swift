#if canImport(Glibc)
import Glibc
#endif
import CWBuildSystem
import WBuildSystem

/// A non-blocking close-on-exec pipe that wakes the reader thread out of `poll()`:
/// any thread writes a byte, the reader drains it and looks at its command flags.
struct WakePipe: Sendable {
    let readEnd: Int32
    let writeEnd: Int32

    /// `pipe2(O_CLOEXEC | O_NONBLOCK)` through `cwb_pipe_cloexec`.
    static func make() -> Result<WakePipe, Errno> {
        var fds: [Int32] = [-1, -1]
        let result = fds.withUnsafeMutableBufferPointer { cwb_pipe_cloexec($0.baseAddress, 1) }
        if result != 0 { return .failure(.current) }
        return .success(WakePipe(readEnd: fds[0], writeEnd: fds[1]))
    }

    /// Writes one byte; a full pipe already guarantees a wake-up, so `EAGAIN` is fine.
    func wake() {
        var byte: UInt8 = 1
        _ = retryingInterrupts { Glibc.write(writeEnd, &byte, 1) }
    }

    /// Reads and discards every pending byte.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = buffer.withUnsafeMutableBytes { bytes in
                retryingInterrupts { Glibc.read(readEnd, bytes.baseAddress, bytes.count) }
            }
            guard case .success(let n) = count, n > 0 else { return }
        }
    }

    func close() {
        _ = Glibc.close(readEnd)
        _ = Glibc.close(writeEnd)
    }
}
