import WBuildCore

/// The running sum behind a snapshot's tree hash, so that changing k entries of an n-entry
/// snapshot costs O(k) hashing instead of O(n).
///
/// Each entry hashes on its own, `SHA-256(path | kind | mode | digest)`, and the
/// tree's sum is the sum of those 256-bit values modulo 2^256 (an additive multiset hash,
/// Bellare–Micciancio's AdHash). Addition commutes, so the sum depends only on which entries
/// the tree has, never on the order they were added in or on whether a full scan or a chain of
/// rescans produced it. The tree hash is `SHA-256("wbuild-tree-3" | 0 | count | sum)`.
///
/// Paths are unique within a snapshot, so the summed values form a set. Finding two different
/// trees with the same sum takes a generalized-birthday search over attacker-chosen entries;
/// wbuild hashes a developer's own files, where that is not a threat, and the per-entry values
/// are still SHA-256, so accidental collisions are as unlikely as for any 256-bit digest.
struct TreeHashSum: Sendable, Hashable {
    /// Little-endian limbs of the 256-bit sum: `limb0` is the least significant.
    private(set) var limb0: UInt64 = 0, limb1: UInt64 = 0, limb2: UInt64 = 0, limb3: UInt64 = 0
    /// Entries summed (added minus removed).
    private(set) var count = 0

    init() {}

    /// The sum over `entries`.
    init(_ entries: some Sequence<FileEntry>) {
        for entry in entries { add(entry) }
    }

    mutating func add(_ entry: FileEntry) {
        let value = Self.entryValue(entry)
        addLimbs(value.word3, value.word2, value.word1, value.word0)
        count += 1
    }

    mutating func remove(_ entry: FileEntry) {
        let value = Self.entryValue(entry)
        // Subtracting is adding the two's complement: ~value + 1.
        addLimbs(~value.word3, ~value.word2, ~value.word1, ~value.word0)
        addLimbs(1, 0, 0, 0)
        count -= 1
    }

    /// The tree hash for this sum.
    var treeHash: FileDigest {
        FileDigest { hasher in
            var bytes: [UInt8] = Array("wbuild-tree-3".utf8)
            bytes.append(0)
            withUnsafeBytes(of: UInt64(count).bigEndian) { bytes.append(contentsOf: $0) }
            for limb in [limb3, limb2, limb1, limb0] {
                withUnsafeBytes(of: limb.bigEndian) { bytes.append(contentsOf: $0) }
            }
            hasher.update(bytes)
        }
    }

    /// Adds another sum (the union of two disjoint sets of entries).
    mutating func add(_ other: TreeHashSum) {
        addLimbs(other.limb0, other.limb1, other.limb2, other.limb3)
        count += other.count
    }

    private mutating func addLimbs(_ a0: UInt64, _ a1: UInt64, _ a2: UInt64, _ a3: UInt64) {
        var carry: UInt64
        (limb0, carry) = Self.addWithCarry(limb0, a0, 0)
        (limb1, carry) = Self.addWithCarry(limb1, a1, carry)
        (limb2, carry) = Self.addWithCarry(limb2, a2, carry)
        (limb3, _) = Self.addWithCarry(limb3, a3, carry)
    }

    @inline(__always)
    private static func addWithCarry(_ x: UInt64, _ y: UInt64, _ carry: UInt64) -> (UInt64, UInt64) {
        let (partial, overflow1) = x.addingReportingOverflow(y)
        let (sum, overflow2) = partial.addingReportingOverflow(carry)
        return (sum, (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0))
    }

    /// `SHA-256(path | kind | mode as 4 big-endian bytes | digest as 32 big-endian bytes)`. The
    /// tail after the path has a fixed length, so no separator is needed; paths up to 18 bytes
    /// take one SHA-256 block. The whole mode counts: a build context sends it to the image.
    static func entryValue(_ entry: FileEntry) -> FileDigest {
        let tailLength = 37
        return FileDigest { hasher in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: tailLength) { tail in
                tail[0] = entry.kind.rawValue
                for byte in 0..<4 { tail[1 + byte] = UInt8(truncatingIfNeeded: entry.mode >> UInt32(24 - byte * 8)) }
                let words = (entry.digest.word0, entry.digest.word1, entry.digest.word2, entry.digest.word3)
                for (index, word) in [words.0, words.1, words.2, words.3].enumerated() {
                    for byte in 0..<8 { tail[5 + index * 8 + byte] = UInt8(truncatingIfNeeded: word >> UInt64(56 - byte * 8)) }
                }
                withBytes(entry.relativePath) { path in
                    let message = path.count + tailLength
                    // Hand the hasher one contiguous message (fewer buffer copies inside it).
                    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: message) { bytes in
                        if let base = bytes.baseAddress, let pathBase = path.baseAddress, let tailBase = tail.baseAddress {
                            base.initialize(from: pathBase, count: path.count)
                            (base + path.count).initialize(from: tailBase, count: tailLength)
                        } else if let base = bytes.baseAddress, let tailBase = tail.baseAddress {
                            base.initialize(from: tailBase, count: tailLength)
                        }
                        hasher.update(UnsafeRawBufferPointer(bytes))
                    }
                }
            }
        }
    }
}
