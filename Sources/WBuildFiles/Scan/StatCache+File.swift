#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

extension StatCache {
    /// Reads a cache written by `save(to:)`. A missing, unreadable, corrupt, truncated or
    /// older-format file gives an empty cache: the cost is re-reading files, never a wrong digest.
    public static func load(file path: String) -> StatCache {
        guard case .success(let bytes) = WholeFile.read(path), let cache = decode(bytes) else { return StatCache() }
        return cache
    }

    /// Writes the cache atomically (temp file, fsync, rename, fsync of the directory), e.g. to
    /// `.wbuild/stat-cache`, encoding as it writes: the bytes of `encode()`, never all in memory.
    public func save(to path: String) throws(FilesError) {
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let failure = writeFile(temporary)
            ?? (rename(temporary, path) == 0 ? nil : SystemError("rename", path: path, errno: .current))
        if let failure {
            unlink(temporary)
            throw FilesError(.cacheNotWritten, "cannot write the stat cache", path: path, cause: failure,
                             hint: "check that the directory exists and is writable; the next scan will re-read files")
        }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        switch retryingInterrupts({ open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }) {
        case .success(let fd):
            fsync(fd)
            close(fd)
        case .failure:
            break  // The rename is done; only its durability across a crash is in doubt.
        }
    }

    /// Creates `temporary` (mode 0600: wbuild's state is its owner's only), writes the encoding
    /// and fsyncs it; the error, if any.
    private func writeFile(_ temporary: String) -> SystemError? {
        let fd: Int32
        switch retryingInterrupts({ open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600) }) {
        case .success(let opened): fd = opened
        case .failure(let errno): return SystemError("open", path: temporary, errno: errno)
        }
        defer { close(fd) }
        var sink = FileByteSink(fd: fd, totalCount: encodedBodySize)
        encodeBody(into: &sink)
        sink.finish()
        if let errno = sink.failure { return SystemError("write", path: temporary, errno: errno) }
        if case .failure(let errno) = retryingInterrupts({ fsync(fd) }) { return SystemError("fsync", path: temporary, errno: errno) }
        return nil
    }
}
