import WBuildSystem

/// A file or directory the scanner could not read; the scan goes on without it.
public struct ScanProblem: Sendable, Equatable, CustomStringConvertible {
    /// Path relative to the scan root.
    public var relativePath: String
    /// The failing call (`open`, `read`, `opendir`, `readlink`, …) and its errno.
    public var error: SystemError

    public init(relativePath: String, error: SystemError) {
        self.relativePath = relativePath
        self.error = error
    }

    public var description: String { "\(relativePath): \(error)" }
}

/// Counters describing what a scan did; tests use them to prove the stat cache saves reads.
public struct ScanStatistics: Sendable, Equatable {
    /// Directories listed with `readdir`.
    public var directoriesRead = 0
    /// Files and symlinks examined with `lstat`.
    public var filesExamined = 0
    /// Files whose content was read and hashed (cache misses).
    public var filesHashed = 0
    public var bytesHashed: UInt64 = 0
    /// Files whose digest came from the stat cache without reading them.
    public var cacheHits = 0

    public init() {}
}

/// The outcome of a scan: the snapshot, what could not be read, and counters.
public struct ScanResult: Sendable {
    public var snapshot: TreeSnapshot
    /// Unreadable files and directories, each with its path; they are absent from `snapshot`.
    public var problems: [ScanProblem]
    public var statistics: ScanStatistics

    public init(snapshot: TreeSnapshot, problems: [ScanProblem], statistics: ScanStatistics) {
        self.snapshot = snapshot
        self.problems = problems
        self.statistics = statistics
    }
}
