/// A fast 64-bit non-cryptographic checksum (multiply–xorshift over 8-byte words) that
/// guards the stat cache file against truncation and bit rot; SHA-256 would cost more
/// than the load itself for a 100k-entry cache.
enum Checksum64 {
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var state: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            state = (state ^ word) &* multiplier
            state ^= state >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        state = (state ^ tail ^ 0xFF) &* multiplier
        state ^= state >> 32
        state = state &* multiplier
        return state ^ (state >> 29)
    }
}
