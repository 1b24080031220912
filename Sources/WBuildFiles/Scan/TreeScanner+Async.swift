import Foundation

extension TreeScanner {
    /// `scan(cache:)` on a dedicated thread, so the blocking `readdir`/`read` calls stay off
    /// the Swift cooperative pool. The cache is moved to that thread and back, not copied.
    public func scanInBackground(cache: inout StatCache) async throws(FilesError) -> ScanResult {
        let box = CacheBox(taking: &cache)
        defer { swap(&cache, &box.cache) }
        let scanner = self
        return try await Self.onDedicatedThread { () throws(FilesError) -> ScanResult in
            try scanner.scan(cache: &box.cache)
        }
    }

    /// `rescan(_:changedPaths:cache:)` on a dedicated thread.
    public func rescanInBackground(_ snapshot: TreeSnapshot, changedPaths: [String],
                       cache: inout StatCache) async throws(FilesError) -> ScanResult {
        let box = CacheBox(taking: &cache)
        defer { swap(&cache, &box.cache) }
        let scanner = self
        return try await Self.onDedicatedThread { () throws(FilesError) -> ScanResult in
            try scanner.rescan(snapshot, changedPaths: changedPaths, cache: &box.cache)
        }
    }

    private static func onDedicatedThread(
        _ body: @escaping @Sendable () throws(FilesError) -> ScanResult
    ) async throws(FilesError) -> ScanResult {
        let outcome: Result<ScanResult, FilesError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                do throws(FilesError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            thread.name = "wbuild.scan"
            thread.start()
        }
        return try outcome.get()
    }
}

/// Carries a stat cache to the scanning thread and back without copying its storage.
///
/// `@unchecked Sendable` is safe because access is strictly sequential: the async caller
/// fills the box, then only the scanning thread touches it until it resumes the
/// continuation (which orders its writes before the caller's read), then only the caller.
private final class CacheBox: @unchecked Sendable {
    var cache = StatCache()

    init(taking cache: inout StatCache) {
        swap(&self.cache, &cache)
    }
}
