/// A fast 64-bit non-cryptographic checksum (multiply–xorshift over 8-byte words) that
/// guards the stat cache file against truncation and bit rot; SHA-256 would cost more
/// than the load itself for a 100k-entry cache.
enum Checksum64 {
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        Running(totalCount: bytes.count).finish(tail: bytes)
    }

    /// The same checksum fed in pieces, for a file written as it is encoded. The total
    /// length must be known up front (it seeds the state).
    struct Running {
        private var state: UInt64
        private static let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15

        init(totalCount: Int) {
            state = 0x243F_6A88_85A3_08D3 ^ UInt64(totalCount)
        }

        /// Feeds whole 8-byte words; `bytes.count` must be a multiple of 8.
        mutating func update(words bytes: UnsafeRawBufferPointer) {
            precondition(bytes.count % 8 == 0, "Checksum64.Running takes whole words until the end")
            var offset = 0
            while offset + 8 <= bytes.count {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                state = (state ^ word) &* Self.multiplier
                state ^= state >> 29
                offset += 8
            }
        }

        /// Feeds the last bytes (any length) and returns the checksum.
        func finish(tail bytes: UnsafeRawBufferPointer) -> UInt64 {
            var running = self
            let whole = bytes.count - bytes.count % 8
            running.update(words: UnsafeRawBufferPointer(rebasing: bytes[0..<whole]))
            var state = running.state
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            for offset in whole..<bytes.count {
                tail |= UInt64(bytes[offset]) << shift
                shift += 8
            }
            state = (state ^ tail ^ 0xFF) &* Self.multiplier
            state ^= state >> 32
            state = state &* Self.multiplier
            return state ^ (state >> 29)
        }
    }
}
