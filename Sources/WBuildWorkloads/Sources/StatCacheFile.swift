import WBuildFiles
import WBuildSystem

/// A `StatCache` persisted under `.wbuild/cache/`, creating the directory on first save.
/// A file that does not decode (truncated, wrong version, bad checksum) reads as empty.
struct StatCacheFile: Sendable {
    let path: String

    func load() -> StatCache { StatCache.load(file: path) }

    func save(_ cache: StatCache) throws(FilesError) {
        do {
            try AtomicFile.makeDirectories(AtomicFile.parentDirectoryPath(of: path))
        } catch {
            throw FilesError(.cacheNotWritten, "cannot create the cache directory", path: path, cause: error,
                             hint: "check that the project directory is writable")
        }
        try cache.save(to: path)
    }
}
