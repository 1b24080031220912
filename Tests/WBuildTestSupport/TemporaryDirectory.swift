import Foundation

/// A fresh directory under the system temp dir, removed by `remove()`.
/// Tests create one per test so they can run in parallel.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init(prefix: String = "wbuild-test") throws {
        let base = NSTemporaryDirectory()
        let path = (base as NSString).appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        // Resolve symlinks (e.g. /tmp → /private/tmp) so paths compare equal to what the kernel reports.
        self.path = (path as NSString).resolvingSymlinksInPath
    }

    /// Writes `contents` to `relativePath`, creating parent directories.
    @discardableResult
    public func write(_ relativePath: String, _ contents: String) throws -> String {
        let full = (path as NSString).appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: full))
        return full
    }

    /// Creates `relativePath` (and its parents); returns its full path.
    @discardableResult
    public func makeDirectory(_ relativePath: String) throws -> String {
        let full = url(relativePath)
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        return full
    }

    public func read(_ relativePath: String) throws -> String {
        let full = (path as NSString).appendingPathComponent(relativePath)
        return try String(contentsOfFile: full, encoding: .utf8)
    }

    public func url(_ relativePath: String = "") -> String {
        relativePath.isEmpty ? path : (path as NSString).appendingPathComponent(relativePath)
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
