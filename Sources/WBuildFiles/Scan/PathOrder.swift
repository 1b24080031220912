/// Byte-wise (UTF-8) ordering of relative paths: the order snapshots keep their entries in.
enum PathOrder {
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Negative, zero or positive like `memcmp`, on UTF-8 bytes.
    static func compare(_ lhs: String, _ rhs: String) -> Int {
        withBytes(lhs) { left in
            withBytes(rhs) { right in compare(left, right) }
        }
    }

    static func compare(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(left.count, right.count)
        if common > 0, let l = left.baseAddress, let r = right.baseAddress {
            let result = memcmpBytes(l, r, common)
            if result != 0 { return result }
        }
        return left.count - right.count
    }

    @inline(__always)
    private static func memcmpBytes(_ l: UnsafePointer<UInt8>, _ r: UnsafePointer<UInt8>, _ count: Int) -> Int {
        for index in 0..<count where l[index] != r[index] {
            return Int(l[index]) - Int(r[index])
        }
        return 0
    }
}
