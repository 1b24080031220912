import WBuildSystem

extension StatCache {
    /// Reads a cache written by `save(to:)`. A missing, unreadable, corrupt, truncated or
    /// older-format file gives an empty cache: the cost is re-reading files, never a wrong digest.
    public static func load(file path: String) -> StatCache {
        guard case .success(let bytes) = WholeFile.read(path), let cache = decode(bytes) else { return StatCache() }
        return cache
    }

    /// Writes the cache atomically (temp file, fsync, rename), e.g. to `.wbuild/stat-cache`.
    public func save(to path: String) throws(FilesError) {
        do {
            try AtomicFile.write(encode(), to: path)
        } catch {
            throw FilesError(.cacheNotWritten, "cannot write the stat cache", path: path, cause: error,
                             hint: "check that the directory exists and is writable; the next scan will re-read files")
        }
    }
}
