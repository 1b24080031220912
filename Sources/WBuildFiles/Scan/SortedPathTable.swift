/// Paths in strictly increasing byte order, stored back to back in one byte buffer, each with
/// a value: about 20 bytes plus the value per path at 100k paths, against ~100 for a
/// `[String: Value]` (a heap string per key and the hash table's slack), and found by binary
/// search, or in O(1) when looked up in order with a `hint` (as a walk does).
struct SortedPathTable<Value: Sendable>: Sendable {
    private var bytes: [UInt8] = []
    /// `ends[i]` is where path `i` ends in `bytes`; it starts where path `i - 1` ends.
    private var ends: [UInt32] = []
    private(set) var values: [Value] = []

    init() {}

    /// Reserves room for `count` paths of `pathBytes` bytes in all.
    mutating func reserve(count: Int, pathBytes: Int) {
        bytes.reserveCapacity(pathBytes)
        ends.reserveCapacity(count)
        values.reserveCapacity(count)
    }

    var count: Int { values.count }

    /// Runs `body` over the bytes of path `index`.
    func withPath<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let start = index == 0 ? 0 : Int(ends[index - 1]), end = Int(ends[index])
        return bytes.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[start..<end]))
        }
    }

    func path(at index: Int) -> String {
        withPath(at: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends a path that must sort after the last one; returns false (and appends nothing)
    /// when it does not.
    @discardableResult
    mutating func append(_ path: UnsafeBufferPointer<UInt8>, _ value: Value) -> Bool {
        if let last = ends.indices.last, withPath(at: last, { PathOrder.compare($0, path) }) >= 0 { return false }
        bytes.append(contentsOf: path)
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
        values.append(value)
        return true
    }

    /// The index of `path`, if present. `hint` is where to look first; it is left just past
    /// the match, so in-order lookups cost one comparison each.
    func index(of path: UnsafeBufferPointer<UInt8>, hint: inout Int) -> Int? {
        if hint < count, withPath(at: hint, { PathOrder.compare($0, path) }) == 0 {
            hint += 1
            return hint - 1
        }
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if withPath(at: middle, { PathOrder.compare($0, path) }) < 0 { low = middle + 1 } else { high = middle }
        }
        guard low < count, withPath(at: low, { PathOrder.compare($0, path) }) == 0 else { return nil }
        hint = low + 1
        return low
    }

    /// The value stored for path `index`, replaced.
    mutating func setValue(_ value: Value, at index: Int) {
        values[index] = value
    }
}
