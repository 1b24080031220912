import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One file the walk could not answer from the stat cache.
struct HashJob: Sendable {
    var relativePath: String
    /// What `lstat` said when the walk found it: the cache records the digest only if the
    /// file still has it after reading.
    var fingerprint: StatFingerprint
}

/// Hashes files while the walk is still finding them: the walk `add`s jobs, a helper
/// `Thread` (never the Swift cooperative pool) hashes them as they come, and at the end
/// the walking thread joins in until every job is done. Outcomes come back in `add` order.
final class HashPipeline: Sendable {
    private struct Queue {
        var jobs: [HashJob] = []
        var nextJob = 0
        var finishedAdding = false
        var helpersStarted = false
    }

    private let rootFD: Int32
    private let bufferSize: Int
    private let helperCount: Int
    private let queue = Mutex(Queue())
    private let outcomes = Mutex([HashOutcome?]())
    /// One signal per job added, plus one per helper when adding is over.
    private let available = DispatchSemaphore(value: 0)
    private let helpersDone = DispatchSemaphore(value: 0)

    /// Counted as files are hashed, when the scan reports progress.
    let progress: ScanProgress?

    init(rootFD: Int32, bufferSize: Int, threadCount: Int, progress: ScanProgress? = nil) {
        self.progress = progress
        self.rootFD = rootFD
        self.bufferSize = bufferSize
        helperCount = max(0, threadCount - 1)
    }

    /// Queues a file; returns its index among all jobs.
    @discardableResult
    func add(_ job: HashJob) -> Int {
        let (index, startHelpers) = queue.withLock { queue -> (Int, Bool) in
            queue.jobs.append(job)
            let start = !queue.helpersStarted && helperCount > 0
            if start { queue.helpersStarted = true }
            return (queue.jobs.count - 1, start)
        }
        if startHelpers {
            for _ in 0..<helperCount {
                let thread = Thread { [self] in
                    work(waiting: true)
                    helpersDone.signal()
                }
                thread.name = "wbuild.hash"
                thread.start()
            }
        }
        available.signal()
        return index
    }

    /// Ends the queue, hashes what is left on the calling thread alongside the helpers,
    /// and returns every job with its outcome, in `add` order. Blocks the calling thread.
    func finish() -> (jobs: [HashJob], outcomes: [HashOutcome]) {
        let started = queue.withLock { queue -> Bool in
            queue.finishedAdding = true
            return queue.helpersStarted
        }
        if started {
            for _ in 0..<helperCount { available.signal() }
        }
        work(waiting: false)
        if started {
            for _ in 0..<helperCount { helpersDone.wait() }
        }
        let jobs = queue.withLock { $0.jobs }
        let finished = outcomes.withLock { slots in
            (0..<jobs.count).map { index in index < slots.count ? (slots[index] ?? .vanished) : .vanished }
        }
        return (jobs, finished)
    }

    /// Takes jobs until none are left. Helpers (`waiting`) sleep on the semaphore for new
    /// jobs until adding is over; the finishing thread only takes what is already queued.
    private func work(waiting: Bool) {
        let hasher = ContentHasher(bufferSize: bufferSize)
        while true {
            if waiting { available.wait() }
            let next = queue.withLock { queue -> (Int, HashJob)? in
                guard queue.nextJob < queue.jobs.count else { return nil }
                defer { queue.nextJob += 1 }
                return (queue.nextJob, queue.jobs[queue.nextJob])
            }
            guard let (index, job) = next else {
                if !waiting { return }
                // Woken with nothing to take: either adding is over, or another worker
                // took the job this signal was for.
                if queue.withLock({ $0.finishedAdding && $0.nextJob >= $0.jobs.count }) { return }
                continue
            }
            let outcome = hasher.hash(relativePath: job.relativePath, rootFD: rootFD, expectedSize: job.fingerprint.size)
            if let progress, case .hashed(_, let size, _) = outcome { progress.hashedFile(size: size) }
            outcomes.withLock { slots in
                if slots.count <= index { slots.append(contentsOf: repeatElement(nil, count: index + 1 - slots.count)) }
                slots[index] = outcome
            }
        }
    }
}
