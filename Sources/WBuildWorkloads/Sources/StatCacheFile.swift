import WBuildFiles
import WBuildSystem

/// A `StatCache` persisted under `.wbuild/cache/`: loaded once, saved atomically only when it changed.
/// A file that does not decode (truncated, wrong version, bad checksum) is treated as empty.
struct StatCacheFile: Sendable {
    let path: String

    func load() -> StatCache {
        guard let bytes = try? AtomicFile.read(path), let cache = StatCache.decode(bytes) else { return StatCache() }
        return cache
    }

    func save(_ cache: StatCache) throws(SystemError) {
        try AtomicFile.makeDirectories(AtomicFile.parentDirectoryPath(of: path))
        try AtomicFile.write(cache.encode(), to: path)
    }
}
