import Foundation
import Testing
import WBuildTestSupport
@testable import WBuildFiles
#if canImport(Glibc)
import Glibc
#endif

/// Helpers for tests that scan real temporary trees.
enum ScanFixtures {
    /// A clock one hour ahead, so files just written count as old (not racily clean).
    static let options = TreeScanner.Options(clock: { TreeScanner.realTimeNanoseconds() + 3_600_000_000_000 })

    static func scanner(_ directory: TemporaryDirectory, includes: [String] = [], ignore: String = "",
                        options: TreeScanner.Options = options) throws -> TreeScanner {
        let sourceSet = try SourceSet(root: directory.path, includePatterns: includes,
                                      ignoreRules: try IgnoreRules.parse(ignore))
        return TreeScanner(sourceSet: sourceSet, options: options)
    }

    static func symlink(_ target: String, at relativePath: String, in directory: TemporaryDirectory) throws {
        try FileManager.default.createSymbolicLink(atPath: directory.url(relativePath), withDestinationPath: target)
    }

    static func chmod(_ relativePath: String, _ mode: mode_t, in directory: TemporaryDirectory) {
        _ = Glibc.chmod(directory.url(relativePath), mode)
    }

    /// Changes only the status-change time (as `chmod` does), toggling the mode between
    /// 0644 and 0600 until the ctime differs: two changes within one timestamp tick share it.
    static func changeStatusTime(_ relativePath: String, in directory: TemporaryDirectory) throws {
        let path = directory.url(relativePath)
        var before = stat()
        try #require(lstat(path, &before) == 0)
        let deadline = Date().addingTimeInterval(10)
        var mode: mode_t = 0o600
        while Date() < deadline {
            _ = Glibc.chmod(path, mode)
            var after = stat()
            try #require(lstat(path, &after) == 0)
            if after.st_ctim.tv_sec != before.st_ctim.tv_sec || after.st_ctim.tv_nsec != before.st_ctim.tv_nsec { return }
            mode = mode == 0o600 ? 0o644 : 0o600
        }
        Issue.record("ctime of \(relativePath) did not change within 10 s")
    }

    /// Sets mtime (and atime) of a file to `seconds` since the epoch.
    static func setModificationTime(_ relativePath: String, seconds: Int, in directory: TemporaryDirectory) {
        var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
        _ = utimensat(AT_FDCWD, directory.url(relativePath), &times, 0)
    }

    /// Runs `body` on a fresh thread whose file-system uid is `nobody` (`setfsuid` is
    /// per-thread and drops root's override of permissions), so permission tests mean
    /// the same thing under root.
    static func asUnprivilegedUser<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                typealias SetFileSystemUID = @convention(c) (UInt32) -> Int32
                if getuid() == 0, let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setfsuid") {
                    _ = unsafeBitCast(symbol, to: SetFileSystemUID.self)(65534)
                }
                continuation.resume(with: Result { try body() })
            }
            thread.start()
        }
    }
}
