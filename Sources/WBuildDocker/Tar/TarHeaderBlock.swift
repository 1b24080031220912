/// Encodes one 512-byte USTAR header block, and PAX extended-header records.
enum TarHeaderBlock {
    static let blockSize = 512
    /// Largest value an octal field of `width` bytes holds (width - 1 digits and a NUL).
    static func octalLimit(width: Int) -> Int64 { (Int64(1) << (3 * Int64(width - 1))) - 1 }

    enum TypeFlag: UInt8 {
        case regular = 0x30        // "0"
        case hardLink = 0x31       // "1"
        case symlink = 0x32        // "2"
        case directory = 0x35      // "5"
        case paxExtended = 0x78    // "x"
    }

    struct Fields {
        var name: [UInt8]
        var prefix: [UInt8] = []
        var mode: UInt32
        var uid: Int
        var gid: Int
        var size: Int64
        var mtime: Int64
        var type: TypeFlag
        var linkName: [UInt8] = []
        var uname: [UInt8] = []
        var gname: [UInt8] = []
    }

    /// The header block; fields too large for their octal slot must have been moved to PAX
    /// records by the caller (they are written clamped here).
    static func encode(_ fields: Fields) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: blockSize)
        put(fields.name, at: 0, width: 100, in: &block)
        putOctal(Int64(fields.mode & 0o7777), at: 100, width: 8, in: &block)
        putOctal(Int64(fields.uid), at: 108, width: 8, in: &block)
        putOctal(Int64(fields.gid), at: 116, width: 8, in: &block)
        putOctal(fields.size, at: 124, width: 12, in: &block)
        putOctal(fields.mtime, at: 136, width: 12, in: &block)
        block[156] = fields.type.rawValue
        put(fields.linkName, at: 157, width: 100, in: &block)
        put(Array("ustar\0".utf8), at: 257, width: 6, in: &block)
        put(Array("00".utf8), at: 263, width: 2, in: &block)
        put(fields.uname, at: 265, width: 32, in: &block)
        put(fields.gname, at: 297, width: 32, in: &block)
        putOctal(0, at: 329, width: 8, in: &block)
        putOctal(0, at: 337, width: 8, in: &block)
        put(fields.prefix, at: 345, width: 155, in: &block)
        // Checksum: the sum of all bytes with the checksum field taken as spaces.
        for index in 148..<156 { block[index] = 0x20 }
        let sum = block.reduce(0) { $0 + Int64($1) }
        putOctal(sum, at: 148, width: 7, in: &block)
        block[155] = 0x20
        return block
    }

    /// PAX records `"<len> <key>=<value>\n"`, where `<len>` counts the whole record including itself.
    static func paxRecords(_ records: [(key: String, value: [UInt8])]) -> [UInt8] {
        var output: [UInt8] = []
        for (key, value) in records {
            let bodyLength = 1 + key.utf8.count + 1 + value.count + 1   // " key=value\n"
            var digits = String(bodyLength).count
            while String(bodyLength + digits).count > digits { digits += 1 }
            let length = bodyLength + digits
            output += Array(String(length).utf8) + [0x20] + Array(key.utf8) + [UInt8(ascii: "=")] + value + [0x0A]
        }
        return output
    }

    /// Zero bytes that pad `size` up to a whole number of blocks.
    static func padding(for size: Int64) -> [UInt8] {
        let remainder = Int(size % Int64(blockSize))
        return remainder == 0 ? [] : [UInt8](repeating: 0, count: blockSize - remainder)
    }

    private static func put(_ bytes: [UInt8], at offset: Int, width: Int, in block: inout [UInt8]) {
        for (index, byte) in bytes.prefix(width).enumerated() { block[offset + index] = byte }
    }

    /// Zero-padded octal digits filling `width - 1` bytes, then a NUL.
    private static func putOctal(_ value: Int64, at offset: Int, width: Int, in block: inout [UInt8]) {
        let clamped = min(max(value, 0), octalLimit(width: width))
        let digits = Array(String(clamped, radix: 8).utf8)
        let padded = [UInt8](repeating: UInt8(ascii: "0"), count: max(0, width - 1 - digits.count)) + digits
        put(padded, at: offset, width: width - 1, in: &block)
        block[offset + width - 1] = 0
    }
}
