import Synchronization

/// Counters a scan bumps as it goes (files examined, files and bytes hashed), read from another
/// thread for a progress line while the scan runs. Relaxed atomics: one increment per file.
public final class ScanProgress: Sendable {
    private let examined = Atomic<Int>(0)
    private let hashed = Atomic<Int>(0)
    private let bytes = Atomic<Int>(0)

    public init() {}

    /// What the scan has done so far.
    public var snapshot: (filesExamined: Int, filesHashed: Int, bytesHashed: Int) {
        (examined.load(ordering: .relaxed), hashed.load(ordering: .relaxed), bytes.load(ordering: .relaxed))
    }

    func examinedFile() {
        examined.add(1, ordering: .relaxed)
    }

    func hashedFile(size: UInt64) {
        hashed.add(1, ordering: .relaxed)
        bytes.add(Int(clamping: size), ordering: .relaxed)
    }
}
