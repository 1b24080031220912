import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One file the walk could not answer from the stat cache.
struct HashJob: Sendable {
    var relativePath: String
    var expectedSize: UInt64
}

/// Hashes a batch of files on the calling thread plus `threadCount - 1` dedicated
/// `Thread`s (never the Swift cooperative pool), sharing work through an atomic index.
final class ParallelHasher: Sendable {
    private let jobs: [HashJob]
    private let rootFD: Int32
    private let bufferSize: Int
    private let nextJob = Atomic<Int>(0)
    private let outcomes: Mutex<[HashOutcome?]>

    init(jobs: [HashJob], rootFD: Int32, bufferSize: Int) {
        self.jobs = jobs
        self.rootFD = rootFD
        self.bufferSize = bufferSize
        outcomes = Mutex([HashOutcome?](repeating: nil, count: jobs.count))
    }

    /// Runs every job and returns the outcomes in job order. Blocks the calling thread.
    func run(threadCount: Int) -> [HashOutcome] {
        // Extra threads pay off only when there is enough work to share.
        let helpers = jobs.count >= 8 ? max(0, threadCount - 1) : 0
        let finished = DispatchSemaphore(value: 0)
        for _ in 0..<helpers {
            let thread = Thread { [self] in
                work()
                finished.signal()
            }
            thread.name = "wbuild.hash"
            thread.start()
        }
        work()
        for _ in 0..<helpers { finished.wait() }
        return outcomes.withLock { slots in
            slots.map { $0 ?? .vanished }
        }
    }

    private func work() {
        let hasher = ContentHasher(bufferSize: bufferSize)
        while true {
            let index = nextJob.wrappingAdd(1, ordering: .relaxed).oldValue
            guard index < jobs.count else { return }
            let job = jobs[index]
            let outcome = hasher.hash(relativePath: job.relativePath, rootFD: rootFD, expectedSize: job.expectedSize)
            outcomes.withLock { $0[index] = outcome }
        }
    }
}
