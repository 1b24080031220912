#if canImport(Glibc)
import Glibc
#endif

/// An owned file descriptor. Close it exactly once with `close()`; it is
/// deliberately not `Sendable` (pass the raw value across threads knowingly).
public struct FileDescriptor: Equatable, Hashable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `open(2)` with `O_CLOEXEC` added.
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(SystemError) -> FileDescriptor {
        switch retryingInterrupts({ Glibc.open(path, flags | O_CLOEXEC, mode) }) {
        case .success(let fd): return FileDescriptor(rawValue: fd)
        case .failure(let errno): throw SystemError("open", path: path, errno: errno)
        }
    }

    /// `close(2)`; EINTR is not retried (Linux always releases the descriptor).
    public func close() {
        _ = Glibc.close(rawValue)
    }

    /// `read(2)` into `buffer`, retrying EINTR. Returns 0 at end of file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        retryingInterrupts { Glibc.read(rawValue, buffer.baseAddress, buffer.count) }
    }

    /// Writes all of `bytes`, retrying EINTR and short writes.
    public func writeAll(_ bytes: UnsafeRawBufferPointer) -> Result<Void, Errno> {
        var offset = 0
        while offset < bytes.count {
            let result = retryingInterrupts {
                Glibc.write(rawValue, bytes.baseAddress! + offset, bytes.count - offset)
            }
            switch result {
            case .success(let written): offset += written
            case .failure(let errno): return .failure(errno)
            }
        }
        return .success(())
    }

    public func writeAll(_ bytes: [UInt8]) -> Result<Void, Errno> {
        bytes.withUnsafeBytes { writeAll($0) }
    }

    /// Reads until end of file.
    public func readToEnd() -> Result<[UInt8], Errno> {
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let result = chunk.withUnsafeMutableBytes { read(into: $0) }
            switch result {
            case .success(0): return .success(output)
            case .success(let count): output.append(contentsOf: chunk[0..<count])
            case .failure(let errno): return .failure(errno)
            }
        }
    }
}
