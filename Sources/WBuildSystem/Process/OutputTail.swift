/// The last few lines a process wrote (both streams, in arrival order), kept so a failure
/// summary can show them: "task:assets failed (exit code 2); last lines: …".
struct OutputTail: Sendable {
    let capacity: Int
    private var ring: [OutputChunk] = []
    private var next = 0

    init(capacity: Int) {
        self.capacity = max(0, capacity)
        ring.reserveCapacity(self.capacity)
    }

    mutating func append(_ chunk: OutputChunk) {
        guard capacity > 0 else { return }
        if ring.count < capacity {
            ring.append(chunk)
        } else {
            ring[next] = chunk
        }
        next = (next + 1) % capacity
    }

    /// Oldest first.
    var lines: [OutputChunk] {
        guard ring.count == capacity else { return ring }
        return Array(ring[next...] + ring[..<next])
    }
}
