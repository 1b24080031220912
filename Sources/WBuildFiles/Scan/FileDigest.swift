import WBuildCore

/// A SHA-256 digest held inline (four words, no heap allocation), so snapshots of
/// 100k files stay compact and compare quickly.
public struct FileDigest: Sendable, Hashable, CustomStringConvertible {
    /// Big-endian words: `word0` holds bytes 0…7 of the digest.
    public let word0: UInt64, word1: UInt64, word2: UInt64, word3: UInt64

    public init(word0: UInt64, word1: UInt64, word2: UInt64, word3: UInt64) {
        self.word0 = word0
        self.word1 = word1
        self.word2 = word2
        self.word3 = word3
    }

    /// Packs 32 digest bytes; `nil` for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        func word(_ start: Int) -> UInt64 {
            var value: UInt64 = 0
            for index in start..<(start + 8) { value = value << 8 | UInt64(bytes[index]) }
            return value
        }
        self.init(word0: word(0), word1: word(8), word2: word(16), word3: word(24))
    }

    /// SHA-256 of `bytes`.
    public static func of(_ bytes: [UInt8]) -> FileDigest {
        FileDigest(hasher: { $0.update(bytes) })
    }

    init(hasher body: (inout SHA256) -> Void) {
        var hasher = SHA256()
        body(&hasher)
        let bytes = hasher.finalize()
        // SHA-256 always yields 32 bytes.
        self = FileDigest(bytes: bytes) ?? FileDigest(word0: 0, word1: 0, word2: 0, word3: 0)
    }

    /// The 32 digest bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for word in [word0, word1, word2, word3] {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return out
    }

    /// Lowercase hex, 64 characters.
    public var hexString: String { bytes.hexString }

    public var description: String { hexString }
}
