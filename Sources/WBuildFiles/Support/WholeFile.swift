#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

/// Reads a whole file into one array sized by `fstat` up front, so a 10 MB cache file costs
/// 10 MB once (reading in chunks into a growing array copies it and briefly holds it twice).
enum WholeFile {
    /// The file's bytes, or the errno of `open`, `fstat` or `read`.
    static func read(_ path: String) -> Result<[UInt8], Errno> {
        let fd: Int32
        switch retryingInterrupts({ open(path, O_RDONLY | O_CLOEXEC) }) {
        case .success(let opened): fd = opened
        case .failure(let errno): return .failure(errno)
        }
        defer { close(fd) }
        var status = stat()
        if case .failure(let errno) = retryingInterrupts({ fstat(fd, &status) }) { return .failure(errno) }
        let expected = max(0, Int(status.st_size))
        var failure: Errno?
        // One byte of slack: reading it means the file grew since `fstat`.
        var bytes = [UInt8](unsafeUninitializedCapacity: expected + 1) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            while initialized < buffer.count {
                switch retryingInterrupts({ Glibc.read(fd, base + initialized, buffer.count - initialized) }) {
                case .success(0): return
                case .success(let count): initialized += count
                case .failure(let errno):
                    failure = errno
                    return
                }
            }
        }
        if let failure { return .failure(failure) }
        if bytes.count > expected {
            // It grew: read the rest the slow way.
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let result = chunk.withUnsafeMutableBytes { raw in retryingInterrupts { Glibc.read(fd, raw.baseAddress, raw.count) } }
                switch result {
                case .success(0): return .success(bytes)
                case .success(let count): bytes.append(contentsOf: chunk[0..<count])
                case .failure(let errno): return .failure(errno)
                }
            }
        }
        return .success(bytes)
    }
}
