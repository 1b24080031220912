#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

/// Writes encoded bytes to a file descriptor through a 256 KB buffer, checksumming them
/// (`Checksum64`) on the way, so a 10 MB cache file never exists as one array. The first
/// `write` error stops further writes and is kept in `failure`.
struct FileByteSink: ByteSink {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var checksum: Checksum64.Running
    private(set) var failure: Errno?
    private static let flushSize = 256 * 1024

    /// `totalCount`: how many bytes will be appended before `finish` (it seeds the checksum).
    init(fd: Int32, totalCount: Int) {
        self.fd = fd
        checksum = Checksum64.Running(totalCount: totalCount)
        buffer.reserveCapacity(Self.flushSize + 64)
    }

    mutating func append(contentsOf collection: some Collection<UInt8>) {
        buffer.append(contentsOf: collection)
        if buffer.count >= Self.flushSize {
            // Whole words only: the checksum works on 8-byte words until the end.
            let whole = buffer.count - buffer.count % 8
            buffer.withUnsafeBytes { checksum.update(words: UnsafeRawBufferPointer(rebasing: $0[0..<whole])) }
            write(whole)
        }
    }

    /// Writes what is buffered and then the checksum of everything appended (u64, little-endian).
    mutating func finish() {
        let sum = buffer.withUnsafeBytes { checksum.finish(tail: $0) }
        withUnsafeBytes(of: sum.littleEndian) { buffer.append(contentsOf: $0) }
        write(buffer.count)
    }

    private mutating func write(_ count: Int) {
        if failure == nil {
            let result = buffer.withUnsafeBytes { raw -> Result<Void, Errno> in
                var offset = 0
                while offset < count {
                    guard let base = raw.baseAddress else { return .failure(Errno(rawValue: EFAULT)) }
                    switch retryingInterrupts({ Glibc.write(fd, base + offset, count - offset) }) {
                    case .success(let written): offset += written
                    case .failure(let errno): return .failure(errno)
                    }
                }
                return .success(())
            }
            if case .failure(let errno) = result { failure = errno }
        }
        buffer.removeSubrange(0..<count)
    }
}
