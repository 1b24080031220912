#if canImport(Glibc)
import Glibc
#endif
import WBuildCore
import WBuildSystem

/// What became of one file the scanner asked to hash.
enum HashOutcome: Sendable {
    /// The digest, the byte count read, and the file's fingerprint once read
    /// (compare with the walk's to know whether it changed underneath us).
    case hashed(FileDigest, size: UInt64, fingerprintAfter: StatFingerprint)
    /// Gone (or replaced by something that is not a regular file) since the walk saw it.
    case vanished
    case failed(SystemError)
}

/// Reads files through one large reusable buffer and hashes them with SHA-256.
/// One per thread: not shareable.
struct ContentHasher: ~Copyable {
    private let buffer: UnsafeMutableRawBufferPointer

    init(bufferSize: Int) {
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bufferSize, 4096), alignment: 64)
    }

    deinit { buffer.deallocate() }

    /// Hashes `relativePath` under `rootFD`. `expectedSize` (from `lstat`) lets a small
    /// file be read with one `read` plus an `fstat`, instead of reading until end of file.
    func hash(relativePath: String, rootFD: Int32, expectedSize: UInt64) -> HashOutcome {
        let opened = relativePath.withCString { FileSystemCalls.openFile(in: rootFD, $0) }
        let fd: Int32
        switch opened {
        case .success(let value): fd = value
        case .failure(let errno) where errno == .noSuchFile || errno.rawValue == ELOOP || errno == .notDirectory:
            return .vanished
        case .failure(let errno): return .failed(SystemError("open", path: relativePath, errno: errno))
        }
        defer { close(fd) }
        var hasher = SHA256()
        var total: UInt64 = 0
        while true {
            let count: Int
            switch retryingInterrupts({ read(fd, buffer.baseAddress, buffer.count) }) {
            case .success(let value): count = value
            case .failure(let errno): return .failed(SystemError("read", path: relativePath, errno: errno))
            }
            if count == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            total += UInt64(count)
            if total == expectedSize, count < buffer.count { break }
        }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            return .failed(SystemError("fstat", path: relativePath, errno: .current))
        }
        guard status.isRegularFile else { return .vanished }
        if UInt64(clamping: status.st_size) > total {
            // Grew after the walk: read the rest so the digest matches what is there now.
            while true {
                guard case .success(let count) = retryingInterrupts({ read(fd, buffer.baseAddress, buffer.count) }),
                      count > 0 else { break }
                hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                total += UInt64(count)
            }
        }
        let bytes = hasher.finalize()
        guard let digest = FileDigest(bytes: bytes) else { return .failed(SystemError("sha256", path: relativePath, errno: Errno(rawValue: EIO))) }
        return .hashed(digest, size: total, fingerprintAfter: StatFingerprint(status))
    }
}
