/// A snapshot's entries in path order, held as sorted chunks of at most ~1k entries.
///
/// Snapshots are values that the watch loop keeps (the previous one, to name what changed)
/// while a rescan derives the next: with one flat array, changing one file of 100k copied all
/// 100k entries (and retained 100k path strings). Here a change copies the list of chunks
/// (n / 1024 references) and the chunks it touches, so a rescan of k files costs O(k log n + n / 1024).
public struct TreeEntries: RandomAccessCollection, Sendable, Equatable {
    public typealias Index = Int
    public typealias Element = FileEntry

    /// Entries per chunk when building; a chunk splits once it grows past twice this.
    static let chunkSize = 1024

    private var chunks: [[FileEntry]]
    /// `starts[i]` is the index of `chunks[i][0]` in the whole collection.
    private var starts: [Int]
    public private(set) var count: Int

    /// Entries already sorted by path, without duplicates.
    init(sorted entries: some Collection<FileEntry>) {
        var chunks: [[FileEntry]] = []
        chunks.reserveCapacity(entries.count / Self.chunkSize + 1)
        var current: [FileEntry] = []
        current.reserveCapacity(Self.chunkSize)
        for entry in entries {
            current.append(entry)
            if current.count == Self.chunkSize {
                chunks.append(current)
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { chunks.append(current) }
        self.chunks = chunks
        starts = []
        count = 0
        reindex()
    }

    /// Appends an entry that sorts after every entry already here (a walk's output).
    mutating func append(_ entry: FileEntry) {
        if let last = chunks.indices.last, chunks[last].count < Self.chunkSize {
            chunks[last].append(entry)
        } else {
            starts.append(count)
            var chunk: [FileEntry] = []
            chunk.reserveCapacity(Self.chunkSize)
            chunk.append(entry)
            chunks.append(chunk)
        }
        count += 1
    }

    /// The chunks themselves, for work split across threads.
    var chunkArrays: [[FileEntry]] { chunks }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> FileEntry {
        let chunk = chunkIndex(containing: position)
        return chunks[chunk][position - starts[chunk]]
    }

    public func makeIterator() -> Iterator { Iterator(chunks: chunks) }

    /// Walks the chunks in order without locating each index.
    public struct Iterator: IteratorProtocol {
        private let chunks: [[FileEntry]]
        private var chunk = 0, offset = 0

        init(chunks: [[FileEntry]]) { self.chunks = chunks }

        public mutating func next() -> FileEntry? {
            while chunk < chunks.count {
                if offset < chunks[chunk].count {
                    defer { offset += 1 }
                    return chunks[chunk][offset]
                }
                chunk += 1
                offset = 0
            }
            return nil
        }
    }

    public static func == (lhs: TreeEntries, rhs: TreeEntries) -> Bool {
        lhs.count == rhs.count && lhs.elementsEqual(rhs)
    }

    /// Index of the first entry whose path is not before `path` (binary search over the
    /// chunks' last paths, then within one chunk).
    func lowerBound(_ path: UnsafeBufferPointer<UInt8>) -> Int {
        var low = 0, high = chunks.count
        while low < high {
            let middle = (low + high) / 2
            let last = chunks[middle][chunks[middle].count - 1]
            if withBytes(last.relativePath, { PathOrder.compare($0, path) }) < 0 { low = middle + 1 } else { high = middle }
        }
        guard low < chunks.count else { return count }
        let chunk = chunks[low]
        var lowEntry = 0, highEntry = chunk.count
        while lowEntry < highEntry {
            let middle = (lowEntry + highEntry) / 2
            if withBytes(chunk[middle].relativePath, { PathOrder.compare($0, path) }) < 0 {
                lowEntry = middle + 1
            } else {
                highEntry = middle
            }
        }
        return starts[low] + lowEntry
    }

    /// Replaces the entries in `range` with `incoming` (sorted, and in order with the
    /// entries around `range`). Only the chunks that `range` touches are copied.
    mutating func replaceSubrange(_ range: Range<Int>, with incoming: some Collection<FileEntry>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range outside the entries")
        if range.isEmpty && incoming.isEmpty { return }
        if chunks.isEmpty {
            self = TreeEntries(sorted: incoming)
            return
        }
        let first = chunkIndex(containing: Swift.min(range.lowerBound, count - 1))
        let last = range.isEmpty ? first : chunkIndex(containing: range.upperBound - 1)
        let base = starts[first]
        if first == last {
            chunks[first].replaceSubrange((range.lowerBound - base)..<(range.upperBound - base), with: incoming)
            let replaced = chunks[first]
            if replaced.isEmpty {
                chunks.remove(at: first)
            } else if replaced.count > 2 * Self.chunkSize {
                chunks.replaceSubrange(first...first, with: Self.split(replaced))
            }
        } else {
            var merged = Array(chunks[first...last].joined())
            merged.replaceSubrange((range.lowerBound - base)..<(range.upperBound - base), with: incoming)
            chunks.replaceSubrange(first...last, with: Self.split(merged))
        }
        reindex()
    }

    private static func split(_ entries: [FileEntry]) -> [[FileEntry]] {
        stride(from: 0, to: entries.count, by: chunkSize).map { Array(entries[$0..<Swift.min($0 + chunkSize, entries.count)]) }
    }

    private mutating func reindex() {
        starts.removeAll(keepingCapacity: true)
        var total = 0
        for chunk in chunks {
            starts.append(total)
            total += chunk.count
        }
        count = total
    }

    /// The chunk holding `position` (`0 ..< count`).
    private func chunkIndex(containing position: Int) -> Int {
        var low = 0, high = starts.count
        // The last chunk whose start is at or before `position`.
        while high - low > 1 {
            let middle = (low + high) / 2
            if starts[middle] <= position { low = middle } else { high = middle }
        }
        return low
    }
}
